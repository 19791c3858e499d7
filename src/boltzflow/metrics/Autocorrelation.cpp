#include "boltzflow/metrics/Autocorrelation.hpp"

#include <algorithm>
#include <vector>

namespace boltzflow::metrics {

double integrated_autocorrelation_time(const Comm& comm, const Matrix<Real, HostSpace>& x, IatWindow window,
                                       double sokal_c) {
  const std::size_t n = x.extent(0), c = x.extent(1);
  const std::int64_t chains = comm.sum(static_cast<std::int64_t>(c));
  if (n < 4 || chains == 0) return 1.0;
  double s = 0;
  for (std::size_t t = 0; t < n; ++t)
    for (std::size_t j = 0; j < c; ++j) s += x(t, j);
  const double mean = comm.sum(s) / (double(n) * chains);
  const std::size_t max_lag = n / 2;
  Vector<double, HostSpace> gamma("autocov", max_lag);
  for (std::size_t k = 0; k < max_lag; ++k) {
    double a = 0;
    for (std::size_t j = 0; j < c; ++j)
      for (std::size_t t = 0; t + k < n; ++t) a += (x(t, j) - mean) * (x(t + k, j) - mean);
    gamma(k) = a / (double(n) * chains);
  }
  comm.allreduce_sum(gamma);
  if (!(gamma(0) > 0)) return 1.0;
  if (window == IatWindow::sokal) {
    double tau = 1;
    for (std::size_t w = 1; w < max_lag; ++w) {
      tau += 2 * gamma(w) / gamma(0);
      if (double(w) >= sokal_c * tau) return tau;
    }
    return tau;
  }
  // Geyer: Γ_m = ρ(2m) + ρ(2m+1) while positive, made monotone; τ = −1 + 2 Σ Γ_m.
  double sum = 0, prev = 1e300;
  for (std::size_t m = 0; 2 * m + 1 < max_lag; ++m) {
    double g = (gamma(2 * m) + gamma(2 * m + 1)) / gamma(0);
    if (g <= 0) break;
    g = std::min(g, prev);
    sum += g;
    prev = g;
  }
  return std::max(1.0, -1 + 2 * sum);
}

}  // namespace boltzflow::metrics
