#include "boltzflow/targets/Mustache.hpp"

#include <cmath>

#include "boltzflow/core/Math.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/targets/Pointwise.hpp"

namespace boltzflow {

namespace {
struct MustacheFn {
  // P = Σ⁻¹ = (1/0.19)[[1, −0.9], [−0.9, 1]]; norm = log(2π√det Σ) = log(2π√0.19).
  double p11, p12, p22, norm;
  // s(x_0) = (x_0² − 1)², T = (x_0, x_1 − s): U = ½TᵀPT + norm.
  KOKKOS_INLINE_FUNCTION double U(const Particles& x, int i) const {
    const double a = x(i, 0), t2 = x(i, 1) - (a * a - 1) * (a * a - 1);
    return 0.5 * (p11 * a * a + 2 * p12 * a * t2 + p22 * t2 * t2) + norm;
  }
  // ∇U = JᵀPT with J = ∂T = [[1, 0], [−s', 1]], s' = 4x_0(x_0² − 1).
  KOKKOS_INLINE_FUNCTION double grad(const Particles& x, int i, const Particles& g) const {
    const double a = x(i, 0), t2 = x(i, 1) - (a * a - 1) * (a * a - 1), sp = 4 * a * (a * a - 1);
    const double pt1 = p11 * a + p12 * t2, pt2 = p12 * a + p22 * t2;
    g(i, 0) = pt1 - sp * pt2;
    g(i, 1) = pt2;
    return 0.5 * (a * pt1 + t2 * pt2) + norm;
  }
  // ΔU = P_11 − 2P_12 s' + P_22 s'² + P_22 − s''(PT)_2, s'' = 12x_0² − 4.
  KOKKOS_INLINE_FUNCTION double lap(const Particles& x, int i) const {
    const double a = x(i, 0), t2 = x(i, 1) - (a * a - 1) * (a * a - 1);
    const double sp = 4 * a * (a * a - 1), spp = 12 * a * a - 4, pt2 = p12 * a + p22 * t2;
    return p11 - 2 * p12 * sp + p22 * sp * sp + p22 - spp * pt2;
  }
};

MustacheFn mustache_fn() {
  const double det = 1 - 0.9 * 0.9;
  return MustacheFn{1 / det, -0.9 / det, 1 / det, std::log(2 * constants::pi * std::sqrt(det))};
}
}  // namespace

void Mustache::energy(const Particles& x, const Scalars& U) const {
  pointwise::energy("boltzflow::targets::mustache", mustache_fn(), x, U);
}
void Mustache::gradient(const Particles& x, const Scalars& U, const Particles& g) const {
  pointwise::gradient("boltzflow::targets::mustache_grad", mustache_fn(), x, U, g);
}
void Mustache::laplacian(const Particles& x, const Scalars& lap) const {
  pointwise::laplacian("boltzflow::targets::mustache_lap", mustache_fn(), x, lap);
}

void Mustache::sample(std::uint64_t seed, std::uint64_t first_id, const Particles& x) const {
  // y = (z_0, 0.9 z_0 + √0.19 z_1) (Cholesky of Σ), normals 0 and 1 of step 0; x = T⁻¹(y).
  const double root = std::sqrt(1 - 0.9 * 0.9);
  const Rng rng(seed, Stream::exact_samples);
  Kokkos::parallel_for(
      "boltzflow::targets::mustache_sample", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)), KOKKOS_LAMBDA(const int i) {
        const double z0 = rng.normal(first_id + i, 0, 0), z1 = rng.normal(first_id + i, 0, 1);
        const double y0 = z0, y1 = 0.9 * z0 + root * z1;
        x(i, 0) = y0;
        x(i, 1) = y1 + (y0 * y0 - 1) * (y0 * y0 - 1);
      });
}

}  // namespace boltzflow
