#include "boltzflow/samplers/neural_jko/RejectionConstant.hpp"

#include <cmath>
#include <string>

#include "boltzflow/core/Error.hpp"

namespace boltzflow::neural_jko {

namespace {
// Global (Σ_i value_i, count) through one Allreduce.
double global_mean(const Comm& comm, double local_sum, std::size_t local_count) {
  HostScalars buf("boltzflow::neural_jko::mean_buf", 2);
  buf(0) = local_sum;
  buf(1) = double(local_count);
  comm.allreduce_sum(buf);
  BOLTZFLOW_ASSERT(buf(1) > 0, "neural_jko: mean over an empty global sample");
  return buf(0) / buf(1);
}
}  // namespace

double rejection_rate(const Comm& comm, const Scalars& lambda, double log_c) {
  double local = 0.0;
  Kokkos::parallel_reduce(
      "boltzflow::neural_jko::rejection_rate", Kokkos::RangePolicy<ExecSpace>(0, lambda.extent(0)),
      KOKKOS_LAMBDA(const int i, double& acc) { acc += 1.0 - acceptance_probability(lambda(i), log_c); }, local);
  return global_mean(comm, local, lambda.extent(0));
}

RejectionFit fit_log_c(const Comm& comm, const Scalars& lambda, double target_rate, double tol) {
  BOLTZFLOW_ASSERT(target_rate > 0.0 && target_rate < 1.0, "neural_jko: rejection rate must lie in (0, 1)");
  double local = 0.0;
  int local_bad = 0;
  Kokkos::parallel_reduce(
      "boltzflow::neural_jko::mean_log_ratio", Kokkos::RangePolicy<ExecSpace>(0, lambda.extent(0)),
      KOKKOS_LAMBDA(const int i, double& acc, int& bad) {
        const bool ok = kmath::isfinite(lambda(i));
        acc += ok ? lambda(i) : 0.0;  // inf + (-inf) would raise FE_INVALID before the check
        bad += ok ? 0 : 1;
      },
      local, local_bad);
  if (comm.any(local_bad > 0))
    throw NumericalError("neural_jko rejection step: non-finite log-ratio log rho~ - log p in the sample");

  RejectionFit fit;
  const auto R = [&](double lc) {
    ++fit.evaluations;
    return rejection_rate(comm, lambda, lc);
  };
  const int max_iter = 10000;
  const double ln2 = std::log(2.0);
  double lo = global_mean(comm, local, lambda.extent(0)), hi = lo;
  double r_lo = R(lo), r_hi = r_lo;
  // Expand upwards until R(hi) >= target, then downwards until R(lo) <= target; the step grows
  // linearly with the iteration count, so any finite bracket is reached in O(sqrt) steps.
  int it = 0;
  while (r_hi < target_rate) {
    if (++it > max_iter) throw NumericalError("neural_jko rejection step: no upper bracket for log c");
    lo = hi;
    r_lo = r_hi;
    hi += ln2 * it;
    r_hi = R(hi);
  }
  while (r_lo > target_rate) {
    if (++it > max_iter) throw NumericalError("neural_jko rejection step: no lower bracket for log c");
    hi = lo;
    r_hi = r_lo;
    lo -= ln2 * it;
    r_lo = R(lo);
  }
  // Bisection: R(lo) <= target <= R(hi) throughout.
  for (int k = 0; r_hi - r_lo >= tol; ++k) {
    if (k > 200) throw NumericalError("neural_jko rejection step: bisection for log c did not converge");
    const double mid = 0.5 * (lo + hi);
    const double r_mid = R(mid);
    if (r_mid < target_rate) {
      lo = mid;
      r_lo = r_mid;
    } else {
      hi = mid;
      r_hi = r_mid;
    }
  }
  fit.log_c = 0.5 * (lo + hi);
  fit.rate = R(fit.log_c);
  return fit;
}

}  // namespace boltzflow::neural_jko
