#include "boltzflow/metrics/Modes.hpp"

#include <cmath>

namespace boltzflow::metrics {

std::vector<double> mode_weights(const Comm& comm, const Vector<int>& labels, int K) {
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), labels);
  Vector<double, HostSpace> counts("mode_counts", K);
  for (std::size_t i = 0; i < h.extent(0); ++i)
    if (h(i) >= 0 && h(i) < K) counts(h(i)) += 1;
  comm.allreduce_sum(counts);  // integer-valued doubles: exact for any rank count
  const double n = comm.sum(static_cast<std::int64_t>(h.extent(0)));
  std::vector<double> w(K);
  for (int k = 0; k < K; ++k) w[k] = n > 0 ? counts(k) / n : 0.0;
  return w;
}

double mode_mse_sum(const std::vector<double>& w, const std::vector<double>& exact) {
  double s = 0;
  for (std::size_t k = 0; k < w.size(); ++k) s += (w[k] - exact[k]) * (w[k] - exact[k]);
  return s;
}

double mode_mse_mean(const std::vector<double>& w, const std::vector<double>& exact) {
  return w.empty() ? 0.0 : mode_mse_sum(w, exact) / w.size();
}

double entropic_mode_coverage(const std::vector<double>& w) {
  if (w.size() < 2) return 1.0;
  double h = 0;
  for (double p : w)
    if (p > 0) h -= p * std::log(p);
  return h / std::log(double(w.size()));
}

int modes_found(const std::vector<double>& w) {
  int c = 0;
  for (double p : w) c += p > 0;
  return c;
}

}  // namespace boltzflow::metrics
