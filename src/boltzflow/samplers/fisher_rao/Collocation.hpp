#pragma once
// Box-OU collocation of the gradient-flow curve (methods.md §3.2): per point a time t and
// x = e^{−B(t)/2} y + √(1 − e^{−B(t)}) ε, y ~ U(box^d), ε ~ N(0, I). The jet networks take one
// time per call, so the global batch is split into G equal time groups (global rows
// [jB/G, (j+1)B/G)) with stratified times t_j = t_min + (1 − t_min)(j + u_j)/G, u_j ~ U(0,1):
// over iterations every t ∈ (t_min, 1) is drawn uniformly. All draws are keyed by global row
// (or group) and iteration, so the points do not depend on the rank count.
#include <cstdint>
#include <vector>

#include "boltzflow/samplers/Sampler.hpp"
#include "boltzflow/samplers/fisher_rao/VpSchedule.hpp"

namespace boltzflow::fisher_rao {

struct TimeGroup {
  double t;
  std::size_t begin, end;  // this rank's rows of the group
};

struct BoxOu {
  std::int64_t groups = 64;
  double t_min = 0.001;
  double lo = -50, hi = 50;
  VpSchedule vp;
  // Fills this rank's rows x (dec.local, d) for iteration `iter` and returns their time groups
  // (empty groups left out).
  std::vector<TimeGroup> draw(const Decomposition& dec, std::uint64_t seed, std::uint32_t iter, const Particles& x) const;
};

}  // namespace boltzflow::fisher_rao
