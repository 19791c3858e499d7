#pragma once
// Median heuristic for kernel bandwidths: the median of the pairwise Euclidean distances of a
// (pooled) distributed sample, computed on a seeded subsample of at most `max_points` points.
//
// The subsample is drawn without replacement by Floyd's algorithm over pooled ids (x rows first
// in global id order, then y rows) with Rng(seed, Stream::metrics) at step subsample_step, so it
// is the same set of points on any rank count; the selected rows are all-gathered to every rank
// (max_points·d doubles) and the S(S−1)/2 distances (≈ 2·10⁶ for S = 2000) are ranked on the host.
// Median of an even count = mean of the two middle values (numpy's convention).
#include <cstdint>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Types.hpp"

namespace boltzflow::metrics {

constexpr std::uint32_t subsample_step = 1;  // Rng step tag in Stream::metrics (directions use 0)

// Median over the pool x ∪ y.
double median_pairwise_distance(const Comm& comm, const Particles& x, const Particles& y, std::int64_t max_points,
                                std::uint64_t seed);
// Median over x alone.
double median_pairwise_distance(const Comm& comm, const Particles& x, std::int64_t max_points, std::uint64_t seed);

}  // namespace boltzflow::metrics
