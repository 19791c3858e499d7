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
  KOKKOS_INLINE_FUNCTION double r2(const Particles& x, int i) const {
    double r = 0;
    for (int j = 0; j < d; ++j) r += x(i, j) * x(i, j);
    return r;
  }
  KOKKOS_INLINE_FUNCTION double U(const Particles& x, int i) const {
    const double r = r2(x, i);
    return r > c2 ? 0.5 * r : inf;
  }
  KOKKOS_INLINE_FUNCTION double grad(const Particles& x, int i, const Particles& g) const {
    for (int j = 0; j < d; ++j) g(i, j) = x(i, j);
    return U(x, i);
  }
  KOKKOS_INLINE_FUNCTION double lap(const Particles&, int) const { return d; }
};

// log P(χ²_d > t) = log Q(d/2, t/2), the regularized upper incomplete gamma, by its
// continued fraction (Numerical Recipes' gcf form; converges for t/2 > d/2 + 1) or series.
double log_chi2_tail(int d, double t) {
  const double a = 0.5 * d, x = 0.5 * t;
  if (x < a + 1) {  // series for P, then Q = 1 − P
    double sum = 1.0 / a, term = sum;
    for (int n = 1; n < 1000; ++n) {
      term *= x / (a + n);
      sum += term;
    }
    return std::log1p(-std::exp(std::log(sum) - x + a * std::log(x) - std::lgamma(a)));
  }
  double b = x + 1 - a, c = 1e300, dd = 1 / b, h = dd;
  for (int n = 1; n < 1000; ++n) {
    const double an = -n * (n - a);
    b += 2;
    dd = an * dd + b;
    c = b + an / c;
    dd = 1 / dd;
    h *= dd * c;
  }
  return std::log(h) - x + a * std::log(x) - std::lgamma(a);
}
}  // namespace

TruncatedNormal::TruncatedNormal(int d, double c) : d_(d), c_(c) {
  if (!(c > 0)) throw InputError("target.radius must be positive for the truncated normal");
  if (d < 2 || c * c <= d - 2) throw InputError("target.dim: the truncated normal needs d >= 2 and radius² > d − 2");
}

double TruncatedNormal::log_z() const { return 0.5 * d_ * constants::log_2pi + log_chi2_tail(d_, c_ * c_); }

#define BOLTZFLOW_TRUNC_FN TruncFn{d_, c_* c_, std::numeric_limits<double>::infinity()}
void TruncatedNormal::energy(const Particles& x, const Scalars& U) const {
  pointwise::energy("boltzflow::targets::truncnorm", BOLTZFLOW_TRUNC_FN, x, U);
}
void TruncatedNormal::gradient(const Particles& x, const Scalars& U, const Particles& g) const {
  pointwise::gradient("boltzflow::targets::truncnorm_grad", BOLTZFLOW_TRUNC_FN, x, U, g);
}
void TruncatedNormal::laplacian(const Particles& x, const Scalars& lap) const {
  pointwise::laplacian("boltzflow::targets::truncnorm_lap", BOLTZFLOW_TRUNC_FN, x, lap);
}
#undef BOLTZFLOW_TRUNC_FN

void TruncatedNormal::sample(std::uint64_t seed, std::uint64_t first_id, const Particles& x) const {
  // Direction: normalised Gaussian. Radius² s from the χ²_d density ∝ s^k e^{−s/2} (k = d/2 − 1)
  // on s > c², by rejection from s = c² + E/λ, E ~ Exp(1), λ = ½ − k/c²: the ratio
  // (s/c²)^k e^{−(k/c²)(s−c²)} is at most 1 (equality at s = c²); for d = 2 every draw is accepted.
  const int d = d_;
  const double c2 = c_ * c_, k = 0.5 * d - 1, lam = 0.5 - k / c2;
  const Rng rng(seed, Stream::exact_samples);
  Kokkos::parallel_for(
      "boltzflow::targets::truncnorm_sample", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)), KOKKOS_LAMBDA(const int i) {
        const std::uint64_t id = first_id + i;
        double r2 = c2;
        for (std::uint32_t t = 1; t < 100000; ++t) {
          r2 = c2 - kmath::log(rng.uniform(id, t, 0)) / lam;
          if (kmath::log(rng.uniform(id, t, 1)) <= k * kmath::log(r2 / c2) - (r2 - c2) * k / c2) break;
        }
        double n2 = 0;
        for (int j = 0; j < d; ++j) {
          const double z = rng.normal(id, 0, j);
          x(i, j) = z;
          n2 += z * z;
        }
        const double scale = kmath::sqrt(r2 / n2);
        for (int j = 0; j < d; ++j) x(i, j) *= scale;
      });
}

}  // namespace boltzflow
