#include "boltzflow/targets/Rings.hpp"

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Math.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/targets/Pointwise.hpp"

namespace boltzflow {

namespace {
KOKKOS_INLINE_FUNCTION double radius(const Particles& x, int i) {
  return kmath::fmax(kmath::sqrt(x(i, 0) * x(i, 0) + x(i, 1) * x(i, 1)), 1e-6);
}
}  // namespace

KOKKOS_INLINE_FUNCTION void Rings::Fn::radial(double r, double& L, double& L1, double& L2) const {
  double amax = -1e300;
  for (int k = 1; k <= K; ++k) amax = kmath::fmax(amax, -(r - k * R) * (r - k * R) / (2 * s2));
  double s = 0, m1 = 0, m2 = 0;  // Σ e^{a_k − amax}, then moments of z_k = r − kR
  for (int k = 1; k <= K; ++k) {
    const double z = r - k * R, e = kmath::exp(-z * z / (2 * s2) - amax);
    s += e;
    m1 += e * z;
    m2 += e * z * z;
  }
  L = amax + kmath::log(s) - kmath::log(double(K)) - 0.5 * kmath::log(2 * constants::pi * s2);
  L1 = -m1 / (s * s2);                      // −Σ r_k z_k / σ²
  L2 = m2 / (s * s2 * s2) - 1 / s2 - L1 * L1;  // Σ r_k (z_k²/σ⁴ − 1/σ²) − L'²
}
KOKKOS_INLINE_FUNCTION double Rings::Fn::U(const Particles& x, int i) const {
  const double r = radius(x, i);
  double L, L1, L2;
  radial(r, L, L1, L2);
  return -L + kmath::log(2 * constants::pi * r);
}
KOKKOS_INLINE_FUNCTION double Rings::Fn::grad(const Particles& x, int i, const Particles& g) const {
  const double r = radius(x, i);
  double L, L1, L2;
  radial(r, L, L1, L2);
  const double f = (1 / r - L1) / r;
  g(i, 0) = f * x(i, 0);
  g(i, 1) = f * x(i, 1);
  return -L + kmath::log(2 * constants::pi * r);
}
KOKKOS_INLINE_FUNCTION double Rings::Fn::lap(const Particles& x, int i) const {
  const double r = radius(x, i);
  double L, L1, L2;
  radial(r, L, L1, L2);
  return -L2 - L1 / r;  // Δ log r = 0 in 2-D
}

Rings::Rings(int K, double R, double sigma_r) : K_(K), R_(R), sigma_r_(sigma_r) {
  if (K < 1) throw InputError("target.rings_k must be >= 1");
  if (!(R > 0)) throw InputError("target.rings_r must be positive");
  if (!(sigma_r > 0)) throw InputError("target.rings_sigma must be positive");
}

void Rings::energy(const Particles& x, const Scalars& U) const {
  pointwise::energy("boltzflow::targets::rings", Fn{K_, R_, sigma_r_ * sigma_r_}, x, U);
}
void Rings::gradient(const Particles& x, const Scalars& U, const Particles& g) const {
  pointwise::gradient("boltzflow::targets::rings_grad", Fn{K_, R_, sigma_r_ * sigma_r_}, x, U, g);
}
void Rings::laplacian(const Particles& x, const Scalars& lap) const {
  pointwise::laplacian("boltzflow::targets::rings_lap", Fn{K_, R_, sigma_r_ * sigma_r_}, x, lap);
}

void Rings::sample(std::uint64_t seed, std::uint64_t first_id, const Particles& x) const {
  const int K = K_;
  const double R = R_, s = sigma_r_;
  constexpr std::uint32_t max_tries = 1000;
  const Rng rng(seed, Stream::exact_samples);
  Kokkos::parallel_for(
      "boltzflow::targets::rings_sample", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)), KOKKOS_LAMBDA(const int i) {
        const std::uint64_t id = first_id + i;
        const int draw = 1 + static_cast<int>(rng.uniform(id, 0, 0) * K), k = draw > K ? K : draw;
        double r = k * R + s * rng.normal(id, 1, 0);
        for (std::uint32_t t = 1; r <= 0 && t < max_tries; ++t) r = k * R + s * rng.normal(id, t + 1, 0);
        const double th = 2 * constants::pi * rng.uniform(id, 0, 1);
        x(i, 0) = r * kmath::cos(th);
        x(i, 1) = r * kmath::sin(th);
      });
}

void Rings::assign_modes(const Particles& x, const Vector<int>& label) const {
  const int K = K_;
  const double R = R_;
  Kokkos::parallel_for(
      "boltzflow::targets::rings_modes", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)), KOKKOS_LAMBDA(const int i) {
        const double r = kmath::sqrt(x(i, 0) * x(i, 0) + x(i, 1) * x(i, 1));
        const int k = static_cast<int>(kmath::floor(r / R + 0.5));
        label(i) = (k < 1 ? 1 : (k > K ? K : k)) - 1;
      });
}

}  // namespace boltzflow
