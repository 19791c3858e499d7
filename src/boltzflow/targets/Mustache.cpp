#include "boltzflow/targets/Mustache.hpp"

#include "boltzflow/core/Math.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/targets/Pointwise.hpp"

namespace boltzflow {

namespace {
struct MustacheFn {
  // P = Σ⁻¹ = (1/0.19)[[1, −0.9], [−0.9, 1]]; log(2π√det Σ) = log(2π√0.19).
  static constexpr double p11 = 1 / 0.19, p12 = -0.9 / 0.19, p22 = 1 / 0.19;
  KOKKOS_INLINE_FUNCTION static double norm() { return kmath::log(2 * constants::pi * kmath::sqrt(0.19)); }
  KOKKOS_INLINE_FUNCTION double U(const Particles& x, int i) const {
    const double a = x(i, 0), s = (a * a - 1) * (a * a - 1), t1 = a, t2 = x(i, 1) - s;
    return 0.5 * (p11 * t1 * t1 + 2 * p12 * t1 * t2 + p22 * t2 * t2) + norm();
  }
  KOKKOS_INLINE_FUNCTION double grad(const Particles& x, int i, const Particles& g) const {
    const double a = x(i, 0), s = (a * a - 1) * (a * a - 1), sp = 4 * a * (a * a - 1);
    const double t1 = a, t2 = x(i, 1) - s;
    const double pt1 = p11 * t1 + p12 * t2, pt2 = p12 * t1 + p22 * t2;
    g(i, 0) = pt1 - sp * pt2;  // Jᵀ P T with J = [[1, 0], [−s', 1]]
    g(i, 1) = pt2;
    return U(x, i);
  }
  KOKKOS_INLINE_FUNCTION double lap(const Particles& x, int i) const {
    const double a = x(i, 0), s = (a * a - 1) * (a * a - 1), sp = 4 * a * (a * a - 1), spp = 12 * a * a - 4;
    const double t2 = x(i, 1) - s, pt2 = p12 * a + p22 * t2;
    return p11 - 2 * p12 * sp + p22 * sp * sp + p22 - spp * pt2;
  }
};
}  // namespace

void Mustache::energy(const Particles& x, const Scalars& U) const { pointwise::energy("boltzflow::targets::mustache", MustacheFn{}, x, U); }
void Mustache::gradient(const Particles& x, const Scalars& U, const Particles& g) const {
  pointwise::gradient("boltzflow::targets::mustache_grad", MustacheFn{}, x, U, g);
}
void Mustache::laplacian(const Particles& x, const Scalars& lap) const {
  pointwise::laplacian("boltzflow::targets::mustache_lap", MustacheFn{}, x, lap);
}

void Mustache::sample(std::uint64_t seed, std::uint64_t first_id, const Particles& x) const {
  const Rng rng(seed, Stream::exact_samples);
  Kokkos::parallel_for(
      "boltzflow::targets::mustache_sample", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)), KOKKOS_LAMBDA(const int i) {
        const double z0 = rng.normal(first_id + i, 0, 0), z1 = rng.normal(first_id + i, 0, 1);
        const double y0 = z0, y1 = 0.9 * z0 + kmath::sqrt(0.19) * z1;  // Cholesky of Σ
        x(i, 0) = y0;
        x(i, 1) = y1 + (y0 * y0 - 1) * (y0 * y0 - 1);
      });
}

}  // namespace boltzflow
