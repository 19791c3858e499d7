#include "boltzflow/metrics/Weights.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Math.hpp"

namespace boltzflow::metrics {

namespace {
constexpr double neg_inf = -std::numeric_limits<double>::infinity();

// Global pieces of the log-sum-exps of sign·λ: max, Σ e^{sign·λ − max}, Σ e^{2(sign·λ − max)}, Σ λ, count.
struct Moments {
  double max = neg_inf, s1 = 0, s2 = 0, sum = 0;
  std::int64_t n = 0;
};

Moments moments(const Comm& comm, const Scalars& lw, double sign, bool allow_neg_inf, const char* what) {
  const auto v = lw;
  const std::int64_t n_local = static_cast<std::int64_t>(lw.extent(0));
  const auto policy = Kokkos::RangePolicy<ExecSpace>(0, n_local);
  std::int64_t bad = 0;
  Kokkos::parallel_reduce(
      "boltzflow::metrics::weights_nonfinite", policy,
      KOKKOS_LAMBDA(const std::int64_t i, std::int64_t& c) {
        const double t = v(i);
        if (!(kmath::isfinite(t) || (allow_neg_inf && !kmath::isnan(t) && t < 0))) ++c;  // isnan first: t < 0 on NaN raises FE_INVALID
      },
      bad);
  Moments m;
  m.n = comm.sum(n_local);
  if (comm.sum(bad) > 0) throw NumericalError(std::string("metrics: ") + what + ": non-finite log-weights");
  if (m.n == 0) throw InputError(std::string("metrics: ") + what + " of an empty sample");

  double local_max = neg_inf;
  if (n_local > 0)
    Kokkos::parallel_reduce(
        "boltzflow::metrics::weights_max", policy,
        KOKKOS_LAMBDA(const std::int64_t i, double& mx) {
          if (sign * v(i) > mx) mx = sign * v(i);
        },
        Kokkos::Max<double>(local_max));
  m.max = comm.max(local_max);
  if (!(m.max > std::numeric_limits<double>::lowest())) m.max = neg_inf;  // Max<> starts at lowest(), not −∞
  Kokkos::parallel_reduce(
      "boltzflow::metrics::weights_sum", policy, KOKKOS_LAMBDA(const std::int64_t i, double& s) { s += v(i); }, m.sum);
  m.sum = comm.sum(m.sum);
  if (m.max == neg_inf) return m;  // every weight is zero: s1 = s2 = 0
  const double mx = m.max;
  Kokkos::parallel_reduce(
      "boltzflow::metrics::weights_s1", policy,
      KOKKOS_LAMBDA(const std::int64_t i, double& s) { s += kmath::exp(sign * v(i) - mx); }, m.s1);
  Kokkos::parallel_reduce(
      "boltzflow::metrics::weights_s2", policy,
      KOKKOS_LAMBDA(const std::int64_t i, double& s) { s += kmath::exp(2 * (sign * v(i) - mx)); }, m.s2);
  m.s1 = comm.sum(m.s1);
  m.s2 = comm.sum(m.s2);
  return m;
}
}  // namespace

WeightSummary weight_summary(const Comm& comm, const Scalars& log_w) {
  const auto m = moments(comm, log_w, 1.0, true, "reverse importance weights");
  WeightSummary r;
  r.n = m.n;
  r.max_log_weight = m.max;
  const double log_n = std::log(static_cast<double>(m.n));
  r.elbo = m.sum / static_cast<double>(m.n);
  if (m.max == neg_inf) {  // no sample carries weight
    r.log_z = r.log_ess_fraction = neg_inf;
    r.ess_fraction = 0;
    return r;
  }
  r.log_z = m.max + std::log(m.s1) - log_n;
  r.log_ess_fraction = 2 * std::log(m.s1) - std::log(m.s2) - log_n;  // the max cancels
  r.ess_fraction = std::exp(r.log_ess_fraction);
  return r;
}

ForwardWeightSummary forward_weight_summary(const Comm& comm, const Scalars& log_w_forward) {
  const auto plus = moments(comm, log_w_forward, 1.0, false, "forward importance weights");
  const auto minus = moments(comm, log_w_forward, -1.0, false, "forward importance weights");
  ForwardWeightSummary f;
  f.m = plus.n;
  const double log_m = std::log(static_cast<double>(f.m));
  f.eubo = plus.sum / static_cast<double>(f.m);
  f.log_mean_weight = plus.max + std::log(plus.s1) - log_m;
  f.log_z = -(minus.max + std::log(minus.s1) - log_m);
  f.log_ess_fraction = f.log_z - f.log_mean_weight;
  f.ess_fraction = std::exp(f.log_ess_fraction);
  return f;
}

}  // namespace boltzflow::metrics
