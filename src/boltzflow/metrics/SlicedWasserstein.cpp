#include "boltzflow/metrics/SlicedWasserstein.hpp"

#include <algorithm>
#include <cmath>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/metrics/SampleChecks.hpp"
#include "boltzflow/metrics/SlicedProjections.hpp"

namespace boltzflow::metrics {

double wasserstein2_squared_1d(const std::vector<double>& a, const std::vector<double>& b) {
  const std::int64_t n = static_cast<std::int64_t>(a.size()), m = static_cast<std::int64_t>(b.size());
  BOLTZFLOW_ASSERT(n > 0 && m > 0, "wasserstein2_squared_1d needs two non-empty samples");
  double s = 0;
  if (n == m) {
    for (std::int64_t i = 0; i < n; ++i) s += (a[i] - b[i]) * (a[i] - b[i]);
    return s / static_cast<double>(n);
  }
  // Quantile levels in units of 1/(NM): a_(i) covers ((i)M, (i+1)M], b_(j) covers (jN, (j+1)N].
  std::int64_t i = 0, j = 0, level = 0;
  while (i < n && j < m) {
    const std::int64_t end_a = (i + 1) * m, end_b = (j + 1) * n, end = std::min(end_a, end_b);
    s += (a[i] - b[j]) * (a[i] - b[j]) * static_cast<double>(end - level);
    level = end;
    if (end_a == end) ++i;
    if (end_b == end) ++j;
  }
  return s / (static_cast<double>(n) * static_cast<double>(m));
}

double sliced_w2(const Comm& comm, const Particles& x, const Particles& y, int directions,
                           std::uint64_t seed) {
  if (directions < 1) throw InputError("metrics: sliced Wasserstein needs at least one direction");
  const int d = common_dim(comm, x, y, "sliced Wasserstein");
  require_finite(comm, x, "metrics: sliced Wasserstein (model samples)");
  require_finite(comm, y, "metrics: sliced Wasserstein (reference samples)");
  const double total = sum_over_directions(comm, x, y, d, directions, seed, wasserstein2_squared_1d);
  return std::sqrt(total / directions);
}

}  // namespace boltzflow::metrics
