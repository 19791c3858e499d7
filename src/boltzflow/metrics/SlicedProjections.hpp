#pragma once
// Random directions on S^{d−1} and the distributed 1-D projections that the sliced metrics
// (sliced energy distance, sliced Wasserstein) reduce to.
//
// Directions: ξ_l = g/‖g‖ with g_k = Rng(seed, Stream::metrics).normal(l, direction_step, k),
// so the same (seed, L, d) gives the same directions on any rank count, for every sliced metric.
//
// Distribution: directions are processed in chunks of C; for a chunk every rank projects its
// own rows on device, the projections are all-gathered (every rank then holds (N + M)·C doubles,
// C = clamp(2^24 / (N + M), 1, L), i.e. ≤ 128 MiB unless N + M > 2^24), and each rank sorts and
// evaluates only the directions l with l mod P = rank. Needs N·C < 2^31 (MPI counts).
#include <cstdint>
#include <functional>
#include <vector>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Types.hpp"

namespace boltzflow::metrics {

constexpr std::uint32_t direction_step = 0;  // Rng step tag of the directions in Stream::metrics

// (count, d) unit directions, row l = ξ_l.
Matrix<Real, HostSpace> random_directions(int count, int d, std::uint64_t seed);

// Value of a 1-D metric from the sorted projections of x and y on one direction.
using OneDimMetric = std::function<double(const std::vector<double>& x_sorted, const std::vector<double>& y_sorted)>;

// Σ_{l<directions} metric(sort(ξ_l·x), sort(ξ_l·y)) over all ranks' rows; the same on every rank.
// x and y must be non-empty globally with common dimension d.
double sum_over_directions(const Comm& comm, const Particles& x, const Particles& y, int d, int directions,
                           std::uint64_t seed, const OneDimMetric& metric);

}  // namespace boltzflow::metrics
