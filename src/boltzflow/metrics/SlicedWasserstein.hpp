#pragma once
// Sliced Wasserstein-2 (metrics.md §4.3): SW2² = mean_l W2²(ξ_l#X, ξ_l#Y) over seeded
// directions (SlicedProjections.hpp), reported as SW2 = √SW2², no dimension factor.
// Distributed like every metric: each rank passes its rows, all ranks get the global value.
#include <cstdint>
#include <vector>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Types.hpp"

namespace boltzflow::metrics {

double sliced_w2(const Comm& comm, const Particles& x, const Particles& y, int directions,
                           std::uint64_t seed);

// W2² between two sorted 1-D samples: (1/N)Σ(a_(i) − b_(i))² when N = M, otherwise
// ∫_0^1 (F_a⁻¹(u) − F_b⁻¹(u))² du over the merged breakpoints i/N, j/M (exact integer bookkeeping).
double wasserstein2_squared_1d(const std::vector<double>& a_sorted, const std::vector<double>& b_sorted);

}  // namespace boltzflow::metrics
