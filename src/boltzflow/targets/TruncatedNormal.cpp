#include "boltzflow/targets/TruncatedNormal.hpp"

#include <cmath>
#include <limits>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Math.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/targets/Pointwise.hpp"

namespace boltzflow {

namespace {
struct TruncFn {
  int d;
  double c2, inf;
  KOKKOS_INLINE_FUNCTION double U(const Particles& x, int i) const {
    double r2 = 0;
    for (int j = 0; j < d; ++j) r2 += x(i, j) * x(i, j);
    return r2 > c2 ? 0.5 * r2 : inf;
  }
  KOKKOS_INLINE_FUNCTION double grad(const Particles& x, int i, const Particles& g) const {
    double r2 = 0;
    for (int j = 0; j < d; ++j) {
      r2 += x(i, j) * x(i, j);
      g(i, j) = x(i, j);
    }
    return r2 > c2 ? 0.5 * r2 : inf;
  }
  KOKKOS_INLINE_FUNCTION double lap(const Particles&, int) const { return d; }
};
}  // namespace

// Q(a, x) by Legendre's continued fraction (modified Lentz; converges fast for x > a + 1),
// else 1 − P(a, x) from P's power series (Numerical Recipes §6.2).
double log_chi2_tail(int d, double t) {
  const double a = 0.5 * d, x = 0.5 * t;
  if (x <= 0) return 0.0;
  const double log_prefactor = -x + a * std::log(x) - std::lgamma(a);
  if (x < a + 1) {
    double sum = 1.0 / a, term = sum;
    for (int n = 1; n < 10000 && term > 1e-17 * sum; ++n) {
      term *= x / (a + n);
      sum += term;
    }
    return std::log1p(-std::exp(std::log(sum) + log_prefactor));
  }
  const double tiny = 1e-300;
  double b = x + 1 - a, c = 1 / tiny, dd = 1 / b, h = dd;
  for (int n = 1; n < 10000; ++n) {
    const double an = -n * (n - a);
    b += 2;
    dd = an * dd + b;
    if (std::abs(dd) < tiny) dd = tiny;
    c = b + an / c;
    if (std::abs(c) < tiny) c = tiny;
    dd = 1 / dd;
    const double delta = dd * c;
    h *= delta;
    if (std::abs(delta - 1) < 1e-16) break;
  }
  return std::log(h) + log_prefactor;
}

TruncatedNormal::TruncatedNormal(int d, double c) : d_(d), c_(c) {
  if (d < 2) throw InputError("target.dim = " + std::to_string(d) + ": the truncated normal needs d >= 2");
  if (!(c > 0) || c * c <= d - 2)
    throw InputError("target.truncation_radius = " + std::to_string(c) + ": need c > 0 and c² > d − 2");
}

double TruncatedNormal::log_z() const { return 0.5 * d_ * constants::log_2pi + log_chi2_tail(d_, c_ * c_); }

void TruncatedNormal::energy(const Particles& x, const Scalars& U) const {
  pointwise::energy("boltzflow::targets::truncnorm", TruncFn{d_, c_ * c_, std::numeric_limits<double>::infinity()}, x, U);
}
void TruncatedNormal::gradient(const Particles& x, const Scalars& U, const Particles& g) const {
  pointwise::gradient("boltzflow::targets::truncnorm_grad", TruncFn{d_, c_ * c_, std::numeric_limits<double>::infinity()},
                      x, U, g);
}
void TruncatedNormal::laplacian(const Particles& x, const Scalars& lap) const {
  pointwise::laplacian("boltzflow::targets::truncnorm_lap", TruncFn{d_, c_ * c_, std::numeric_limits<double>::infinity()},
                       x, lap);
}

void TruncatedNormal::sample(std::uint64_t seed, std::uint64_t first_id, const Particles& x) const {
  // Acceptance ratio (s/c²)^k e^{−(k/c²)(s − c²)} <= 1 (log(1+u) <= u), equality at s = c².
  const int d = d_;
  const double c2 = c_ * c_, k = 0.5 * d - 1, lam = 0.5 - k / c2;
  constexpr std::uint32_t max_tries = 100000;
  const Rng rng(seed, Stream::exact_samples);
  Kokkos::parallel_for(
      "boltzflow::targets::truncnorm_sample", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)), KOKKOS_LAMBDA(const int i) {
        const std::uint64_t id = first_id + i;
        double s = c2;
        for (std::uint32_t t = 1; t <= max_tries; ++t) {
          s = c2 - kmath::log(rng.uniform(id, t, 0)) / lam;
          if (k == 0 || kmath::log(rng.uniform(id, t, 1)) <= k * kmath::log(s / c2) - (s - c2) * k / c2) break;
        }
        double n2 = 0;
        for (int j = 0; j < d; ++j) {
          const double z = rng.normal(id, 0, j);
          x(i, j) = z;
          n2 += z * z;
        }
        const double scale = kmath::sqrt(s / n2);
        for (int j = 0; j < d; ++j) x(i, j) *= scale;
      });
}

}  // namespace boltzflow
