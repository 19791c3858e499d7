#pragma once
// The base density π0 = N(m, s²I) of a CNF: draws keyed by global particle id (rank-count
// independent) and log π0(z) = −‖z − m‖²/(2s²) − (d/2) log(2πs²).
#include <cstdint>
#include <vector>

#include "boltzflow/core/Rng.hpp"
#include "boltzflow/core/Types.hpp"

namespace boltzflow::cnf {

struct GaussianBase {
  std::vector<double> mean;  // size d, or empty for m = 0
  double scale = 1.0;

  // Row i of z gets the draw of global id first_id + i from Rng(seed, stream) at `step`.
  void sample(std::uint64_t seed, Stream stream, std::uint32_t step, std::uint64_t first_id, const Particles& z) const;
  void log_density(const Particles& z, const Scalars& out) const;  // out(i) = log π0(z_i)
};

}  // namespace boltzflow::cnf
