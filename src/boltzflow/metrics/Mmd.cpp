#include "boltzflow/metrics/Mmd.hpp"

#include <algorithm>
#include <cmath>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/metrics/MedianDistance.hpp"
#include "boltzflow/metrics/PairSum.hpp"
#include "boltzflow/metrics/SampleChecks.hpp"

namespace boltzflow::metrics {

namespace {
struct KernelSums {
  double n, m, xx, yy, xy;
};

KernelSums kernel_sums(const Comm& comm, const Particles& x, const Particles& y, double h, const char* what) {
  if (!(h > 0))  // all ranks hold the same h
    throw NumericalError(std::string("metrics: ") + what +
                         ": median-heuristic bandwidth is 0 (more than half of the sampled pairs coincide)");
  const auto k = PairKernel::gaussian_bandwidth(h);
  return {static_cast<double>(global_rows(comm, x)), static_cast<double>(global_rows(comm, y)),
          global_pair_sum(comm, x, x, k), global_pair_sum(comm, y, y, k), global_pair_sum(comm, x, y, k)};
}

void check_inputs(const Comm& comm, const Particles& x, const Particles& y, const char* what) {
  common_dim(comm, x, y, what);
  if (global_rows(comm, x) < 2 || global_rows(comm, y) < 2)
    throw InputError(std::string("metrics: ") + what + " needs at least 2 samples in each set");
  require_finite(comm, x, std::string("metrics: ") + what + " (model samples)");
  require_finite(comm, y, std::string("metrics: ") + what + " (reference samples)");
}
}  // namespace

MmdResult mmd_details(const Comm& comm, const Particles& x, const Particles& y, std::int64_t max_points,
                      std::uint64_t seed) {
  check_inputs(comm, x, y, "MMD");
  MmdResult r;
  r.bandwidth = median_pairwise_distance(comm, x, y, max_points, seed);
  const auto s = kernel_sums(comm, x, y, r.bandwidth, "MMD");
  // k(x, x) = 1: the diagonals contribute exactly N and M.
  r.mmd2 = (s.xx - s.n) / (s.n * (s.n - 1)) + (s.yy - s.m) / (s.m * (s.m - 1)) - 2 * s.xy / (s.n * s.m);
  r.mmd = std::sqrt(std::max(r.mmd2, 1e-20));
  return r;
}

double mmd(const Comm& comm, const Particles& x, const Particles& y, std::int64_t max_points, std::uint64_t seed) {
  return mmd_details(comm, x, y, max_points, seed).mmd;
}

MmdResult mmd_af(const Comm& comm, const Particles& x, const Particles& y, std::int64_t max_points,
                 std::uint64_t seed) {
  check_inputs(comm, x, y, "MMD (AF variant)");
  MmdResult r;
  r.bandwidth = 0.1 * median_pairwise_distance(comm, y, max_points, seed);  // exp(−α r²) with α = 1/(2γ²)
  const auto s = kernel_sums(comm, x, y, r.bandwidth, "MMD (AF variant)");
  r.mmd2 = s.xx / (s.n * s.n) + s.yy / (s.m * s.m) - 2 * s.xy / (s.n * s.m);
  r.mmd = std::sqrt(std::max(r.mmd2, 1e-20));
  return r;
}

}  // namespace boltzflow::metrics
