#pragma once
// A global training minibatch of the interpolant loss, defined independently of the rank
// count: element i of step s picks data row g_i = ⌊u·N⌋ (with replacement, Rng keyed by
// (i, s)), belongs to time bin k = i mod K, and bin k uses ONE time
// t_k = t_min + (t_max − t_min)(k + u_k)/K (stratified over [t_min, t_max], u_k keyed by (k, s)).
// One time per bin matches the velocity network, which evaluates one t per call; K bins
// per step keep the time marginal uniform while each call stays GEMM-sized. Each rank keeps
// the elements whose row it owns (OwnerMap), so ranks compute disjoint parts of the same sum.
#include <cstdint>
#include <functional>
#include <vector>

#include "boltzflow/core/Types.hpp"

namespace boltzflow::interpolant {

// Global data row -> local row on this rank, or -1 if another rank holds it.
using OwnerMap = std::function<std::int64_t(std::int64_t)>;
// The usual contiguous slice [offset, offset + local) of Decomposition::even.
OwnerMap slice_owner(std::int64_t offset, std::int64_t local);

struct TimeBin {
  double t = 0;
  std::vector<std::int64_t> element;  // global batch indices i (they key x0 and z)
  std::vector<std::int64_t> row;      // local data rows
};

struct MinibatchSpec {
  std::int64_t batch = 1024;  // global batch size
  int bins = 16;              // time bins per step
  double t_min = 0.0, t_max = 1.0;
};

std::vector<TimeBin> plan_minibatch(const MinibatchSpec& spec, std::int64_t global_rows, const OwnerMap& owner,
                                    std::uint64_t seed, std::uint32_t step);

}  // namespace boltzflow::interpolant
