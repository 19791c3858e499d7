#include "boltzflow/metrics/SplitRhat.hpp"

#include <cmath>
#include <limits>

#include "boltzflow/metrics/SampleChecks.hpp"

namespace boltzflow::metrics {

double split_rhat(const Comm& comm, const Matrix<Real, HostSpace>& chains) {
  const auto shape = chain_shape(comm, chains, 4, "split-Rhat");
  const std::int64_t n = shape.steps, h = n / 2, halves = 2 * shape.chains;
  const std::int64_t starts[2] = {0, n - h};
  std::vector<double> means;
  double within = 0, mean_sum = 0;
  for (std::size_t c = 0; c < chains.extent(1); ++c)
    for (const std::int64_t t0 : starts) {
      double s = 0;
      for (std::int64_t t = t0; t < t0 + h; ++t) s += chains(t, c);
      const double mean = s / static_cast<double>(h);
      double v = 0;
      for (std::int64_t t = t0; t < t0 + h; ++t) v += (chains(t, c) - mean) * (chains(t, c) - mean);
      within += v / static_cast<double>(h - 1);
      means.push_back(mean);
      mean_sum += mean;
    }
  const double W = comm.sum(within) / static_cast<double>(halves);
  const double grand = comm.sum(mean_sum) / static_cast<double>(halves);
  double between = 0;
  for (const double m : means) between += (m - grand) * (m - grand);
  const double B = static_cast<double>(h) * comm.sum(between) / static_cast<double>(halves - 1);
  if (!(W > 0)) return B > 0 ? std::numeric_limits<double>::infinity() : 1.0;
  const double var_plus = static_cast<double>(h - 1) / static_cast<double>(h) * W + B / static_cast<double>(h);
  return std::sqrt(var_plus / W);
}

}  // namespace boltzflow::metrics
