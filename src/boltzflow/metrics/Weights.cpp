#include "boltzflow/metrics/Weights.hpp"

#include <cmath>

#include "boltzflow/core/Math.hpp"

namespace boltzflow::metrics {

WeightSummary weight_summary(const Comm& comm, const Scalars& log_w) {
  const auto lw = log_w;
  const auto n_local = static_cast<std::int64_t>(lw.extent(0));
  double m_local = -1e300;
  Kokkos::parallel_reduce(
      "boltzflow::metrics::logw_max", Kokkos::RangePolicy<ExecSpace>(0, n_local),
      KOKKOS_LAMBDA(const int i, double& m) { m = kmath::fmax(m, lw(i)); }, Kokkos::Max<double>(m_local));
  const double m = comm.max(n_local > 0 ? m_local : -1e300);
  double s1 = 0, s2 = 0, sl = 0;
  Kokkos::parallel_reduce(
      "boltzflow::metrics::logw_sums", Kokkos::RangePolicy<ExecSpace>(0, n_local),
      KOKKOS_LAMBDA(const int i, double& a, double& b, double& c) {
        const double w = kmath::exp(lw(i) - m);
        a += w;
        b += w * w;
        c += lw(i);
      },
      s1, s2, sl);
  WeightSummary r;
  r.n = comm.sum(n_local);
  s1 = comm.sum(s1);
  s2 = comm.sum(s2);
  r.log_z = m + std::log(s1 / r.n);
  r.elbo = comm.sum(sl) / r.n;
  r.ess_fraction = s1 * s1 / (r.n * s2);
  return r;
}

}  // namespace boltzflow::metrics
