#include "boltzflow/metrics/EnergyDistance.hpp"

#include <cmath>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Math.hpp"
#include "boltzflow/metrics/PairSum.hpp"
#include "boltzflow/metrics/SampleChecks.hpp"
#include "boltzflow/metrics/SlicedProjections.hpp"

namespace boltzflow::metrics {

double energy_distance(const Comm& comm, const Particles& x, const Particles& y) {
  common_dim(comm, x, y, "energy distance");
  require_finite(comm, x, "metrics: energy distance (model samples)");
  require_finite(comm, y, "metrics: energy distance (reference samples)");
  const double n = static_cast<double>(global_rows(comm, x)), m = static_cast<double>(global_rows(comm, y));
  const auto dist = PairKernel::distance();
  const double sxy = global_pair_sum(comm, x, y, dist);
  const double sxx = global_pair_sum(comm, x, x, dist);
  const double syy = global_pair_sum(comm, y, y, dist);
  return sxy / (n * m) - 0.5 * sxx / (n * n) - 0.5 * syy / (m * m);
}

double slicing_constant(int d) {
  BOLTZFLOW_ASSERT(d >= 1, "slicing_constant needs d >= 1");
  return std::exp(0.5 * std::log(constants::pi) + std::lgamma(0.5 * (d + 1)) - std::lgamma(0.5 * d));
}

double energy_distance_1d(const std::vector<double>& a, const std::vector<double>& b) {
  const std::size_t n = a.size(), m = b.size();
  BOLTZFLOW_ASSERT(n > 0 && m > 0, "energy_distance_1d needs two non-empty samples");
  std::size_t i = 0, j = 0;
  // Next point of the merged order; after taking it, F_a − F_b = i/n − j/m up to the next point.
  auto take = [&]() { return (j >= m || (i < n && a[i] <= b[j])) ? a[i++] : b[j++]; };
  double z = take(), s = 0;
  while (i < n || j < m) {
    const double f = static_cast<double>(i) / n - static_cast<double>(j) / m;
    const double next = take();
    s += f * f * (next - z);
    z = next;
  }
  return s;
}

double energy_distance_sliced(const Comm& comm, const Particles& x, const Particles& y, int directions,
                              std::uint64_t seed) {
  if (directions < 1) throw InputError("metrics: sliced energy distance needs at least one direction");
  const int d = common_dim(comm, x, y, "sliced energy distance");
  require_finite(comm, x, "metrics: sliced energy distance (model samples)");
  require_finite(comm, y, "metrics: sliced energy distance (reference samples)");
  const double total = sum_over_directions(comm, x, y, d, directions, seed, energy_distance_1d);
  return slicing_constant(d) * total / directions;
}

}  // namespace boltzflow::metrics
