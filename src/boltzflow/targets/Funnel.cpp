#include "boltzflow/targets/Funnel.hpp"

#include <cmath>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Math.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/targets/Pointwise.hpp"

namespace boltzflow {

KOKKOS_INLINE_FUNCTION double Funnel::Fn::U(const Particles& x, int i) const {
  const double a = x(i, 0);
  double r = 0;
  for (int j = 1; j < d; ++j) r += x(i, j) * x(i, j);
  return a * a / (2 * s2) + 0.5 * kmath::exp(-a) * r + 0.5 * (d - 1) * a + C;
}
KOKKOS_INLINE_FUNCTION double Funnel::Fn::grad(const Particles& x, int i, const Particles& g) const {
  const double a = x(i, 0), e = kmath::exp(-a);
  double r = 0;
  for (int j = 1; j < d; ++j) {
    r += x(i, j) * x(i, j);
    g(i, j) = e * x(i, j);
  }
  g(i, 0) = a / s2 - 0.5 * e * r + 0.5 * (d - 1);
  return a * a / (2 * s2) + 0.5 * e * r + 0.5 * (d - 1) * a + C;
}
KOKKOS_INLINE_FUNCTION double Funnel::Fn::lap(const Particles& x, int i) const {
  const double e = kmath::exp(-x(i, 0));
  double r = 0;
  for (int j = 1; j < d; ++j) r += x(i, j) * x(i, j);
  return 1 / s2 + 0.5 * e * r + (d - 1) * e;
}

Funnel::Funnel(int d, double sigma) : d_(d), sigma_(sigma) {
  if (d < 2) throw InputError("target.dim = " + std::to_string(d) + ": the funnel needs d >= 2");
  if (!(sigma > 0)) throw InputError("target.funnel_sigma must be positive");
}

Funnel::Fn Funnel::fn() const {
  const double s2 = sigma_ * sigma_;
  return Fn{d_, s2, 0.5 * std::log(2 * constants::pi * s2) + 0.5 * (d_ - 1) * constants::log_2pi};
}

void Funnel::energy(const Particles& x, const Scalars& U) const { pointwise::energy("boltzflow::targets::funnel", fn(), x, U); }
void Funnel::gradient(const Particles& x, const Scalars& U, const Particles& g) const {
  pointwise::gradient("boltzflow::targets::funnel_grad", fn(), x, U, g);
}
void Funnel::laplacian(const Particles& x, const Scalars& lap) const {
  pointwise::laplacian("boltzflow::targets::funnel_lap", fn(), x, lap);
}

void Funnel::sample(std::uint64_t seed, std::uint64_t first_id, const Particles& x) const {
  const int d = d_;
  const double s = sigma_;
  const Rng rng(seed, Stream::exact_samples);
  Kokkos::parallel_for(
      "boltzflow::targets::funnel_sample", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)), KOKKOS_LAMBDA(const int i) {
        const std::uint64_t id = first_id + i;
        const double a = s * rng.normal(id, 0, 0), scale = kmath::exp(0.5 * a);
        x(i, 0) = a;
        for (int j = 1; j < d; ++j) x(i, j) = scale * rng.normal(id, 0, j);
      });
}

}  // namespace boltzflow
