#include "boltzflow/targets/Funnel.hpp"

#include <cmath>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Math.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/targets/Pointwise.hpp"

namespace boltzflow {

namespace {
struct FunnelFn {
  int d;
  double s2, C;  // σ², normaliser ½log(2πσ²) + (d−1)/2 log 2π
  KOKKOS_INLINE_FUNCTION double rest(const Particles& x, int i) const {
    double r = 0;
    for (int j = 1; j < d; ++j) r += x(i, j) * x(i, j);
    return r;
  }
  KOKKOS_INLINE_FUNCTION double U(const Particles& x, int i) const {
    const double a = x(i, 0);
    return a * a / (2 * s2) + 0.5 * kmath::exp(-a) * rest(x, i) + 0.5 * (d - 1) * a + C;
  }
  KOKKOS_INLINE_FUNCTION double grad(const Particles& x, int i, const Particles& g) const {
    const double a = x(i, 0), e = kmath::exp(-a);
    g(i, 0) = a / s2 - 0.5 * e * rest(x, i) + 0.5 * (d - 1);
    for (int j = 1; j < d; ++j) g(i, j) = e * x(i, j);
    return U(x, i);
  }
  KOKKOS_INLINE_FUNCTION double lap(const Particles& x, int i) const {
    const double e = kmath::exp(-x(i, 0));
    return 1 / s2 + 0.5 * e * rest(x, i) + (d - 1) * e;
  }
};
}  // namespace

Funnel::Funnel(int d, double sigma) : d_(d), sigma_(sigma) {
  if (d < 2) throw InputError("target.dim = " + std::to_string(d) + ": the funnel needs d >= 2");
}

#define BOLTZFLOW_FUNNEL_FN \
  FunnelFn { d_, sigma_* sigma_, 0.5 * std::log(2 * constants::pi * sigma_ * sigma_) + 0.5 * (d_ - 1) * constants::log_2pi }
void Funnel::energy(const Particles& x, const Scalars& U) const { pointwise::energy("boltzflow::targets::funnel", BOLTZFLOW_FUNNEL_FN, x, U); }
void Funnel::gradient(const Particles& x, const Scalars& U, const Particles& g) const {
  pointwise::gradient("boltzflow::targets::funnel_grad", BOLTZFLOW_FUNNEL_FN, x, U, g);
}
void Funnel::laplacian(const Particles& x, const Scalars& lap) const {
  pointwise::laplacian("boltzflow::targets::funnel_lap", BOLTZFLOW_FUNNEL_FN, x, lap);
}
#undef BOLTZFLOW_FUNNEL_FN

void Funnel::sample(std::uint64_t seed, std::uint64_t first_id, const Particles& x) const {
  const int d = d_;
  const double s = sigma_;
  const Rng rng(seed, Stream::exact_samples);
  Kokkos::parallel_for(
      "boltzflow::targets::funnel_sample", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)), KOKKOS_LAMBDA(const int i) {
        const double a = s * rng.normal(first_id + i, 0, 0);
        x(i, 0) = a;
        for (int j = 1; j < d; ++j) x(i, j) = kmath::exp(0.5 * a) * rng.normal(first_id + i, 0, j);
      });
}

}  // namespace boltzflow
