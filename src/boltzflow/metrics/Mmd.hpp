#pragma once
// Maximum mean discrepancy with a Gaussian kernel k(x, y) = exp(−‖x − y‖²/(2h²)) (metrics.md §4.2).
// Distributed: each rank passes its rows (possibly none); all ranks get the same result.
// Needs N, M ≥ 2. Costs three O(NM) pair sums (PairSum.hpp).
#include <cstdint>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Types.hpp"

namespace boltzflow::metrics {

struct MmdResult {
  double mmd = 0;        // √max(mmd2, 1e-20): the reported value
  double mmd2 = 0;       // the estimator itself (the unbiased one can be negative)
  double bandwidth = 0;  // h
};

// boltzflow default: h = median pairwise distance of the pooled sample on a seeded subsample of
// ≤ max_points points (MedianDistance.hpp; metrics.md: 2000), unbiased estimator
//   MMD²_u = Σ_{i≠i'}k/(N(N−1)) + Σ_{j≠j'}k/(M(M−1)) − 2Σ_{i,j}k/(NM).
MmdResult mmd_details(const Comm& comm, const Particles& x, const Particles& y, std::int64_t max_points,
                      std::uint64_t seed);
// Its reported value, √max(MMD²_u, 1e-20).
double mmd(const Comm& comm, const Particles& x, const Particles& y, std::int64_t max_points, std::uint64_t seed);

// AF-code variant: k = exp(−α‖x − y‖²), α = 0.5/γ², γ = 0.1 × median pairwise distance of the
// reference sample y (on a seeded subsample of ≤ max_points points), biased V-statistic
// Σk/N² + Σk/M² − 2Σk/(NM). bandwidth = γ.
MmdResult mmd_af(const Comm& comm, const Particles& x, const Particles& y, std::int64_t max_points,
                 std::uint64_t seed);

}  // namespace boltzflow::metrics
