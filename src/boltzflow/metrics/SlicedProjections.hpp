#pragma once
// Random directions on S^{d−1} and the distributed 1-D projections that the sliced metrics
// (sliced energy distance, sliced Wasserstein) reduce to.
//
// Directions: ξ_l = g/‖g‖ with g_k = Rng(seed, Stream::metrics).normal(l, direction_step, k),
// so the same (seed, L, d) gives the same directions on any rank count, for every sliced metric.
//
// Distribution: directions are processed in chunks of C; for a chunk every rank projects its
// own rows on device, the projections are all-gathered (every rank then holds (N + M)·C doubles),
// and each rank sorts and evaluates only the directions l with l mod P = rank.
// Memory bound: C = clamp(G / max(N + M, d), 1, L) with G = gathered_doubles (default 2^24), so
// projections and directions each take ≤ 128 MiB per rank unless N + M > 2^24 (then C = 1).
// Needs N·C < 2^31 (MPI counts).
#include <cstdint>
#include <functional>
#include <vector>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Types.hpp"

namespace boltzflow::metrics {

constexpr std::uint32_t direction_step = 0;  // Rng step tag of the directions in Stream::metrics

// (count, d) unit directions, row r = ξ_{first + r}.
Matrix<Real, HostSpace> random_directions(int first, int count, int d, std::uint64_t seed);
inline Matrix<Real, HostSpace> random_directions(int count, int d, std::uint64_t seed) {
  return random_directions(0, count, d, seed);
}

// Value of a 1-D metric from the sorted projections of x and y on one direction.
using OneDimMetric = std::function<double(const std::vector<double>& x_sorted, const std::vector<double>& y_sorted)>;

// Σ_{l<directions} metric(sort(ξ_l·x), sort(ξ_l·y)) over all ranks' rows; the same on every rank.
// x and y must be non-empty globally with common dimension d. gathered_doubles: the per-rank
// memory bound that sets the chunk size C (see above).
double sum_over_directions(const Comm& comm, const Particles& x, const Particles& y, int d, int directions,
                           std::uint64_t seed, const OneDimMetric& metric,
                           std::int64_t gathered_doubles = std::int64_t(1) << 24);

}  // namespace boltzflow::metrics
