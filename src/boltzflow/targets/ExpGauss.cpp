#include "boltzflow/targets/ExpGauss.hpp"

#include <cmath>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Math.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/targets/Pointwise.hpp"

namespace boltzflow {

KOKKOS_INLINE_FUNCTION double ExpGauss::Fn::U(const Particles& x, int i) const {
  double u = 0;
  for (int j = 0; j < d; ++j) {
    const double v = x(i, j);
    u += prec(j) * (0.5 * v * v - (j < m ? c * kmath::fabs(v) : 0.0));
  }
  return u;
}
KOKKOS_INLINE_FUNCTION double ExpGauss::Fn::grad(const Particles& x, int i, const Particles& g) const {
  double u = 0;
  for (int j = 0; j < d; ++j) {
    const double v = x(i, j), p = prec(j);
    const double sign = v > 0 ? 1.0 : (v < 0 ? -1.0 : 0.0);
    u += p * (0.5 * v * v - (j < m ? c * kmath::fabs(v) : 0.0));
    g(i, j) = p * (v - (j < m ? c * sign : 0.0));
  }
  return u;
}
KOKKOS_INLINE_FUNCTION double ExpGauss::Fn::lap(const Particles&, int) const {
  double l = 0;
  for (int j = 0; j < d; ++j) l += prec(j);
  return l;
}

ExpGauss::ExpGauss(int d, int m, double c, bool unequal) : d_(d), m_(m), c_(c), unequal_(unequal) {
  if (m < 1 || m > d)
    throw InputError("target.expgauss_m = " + std::to_string(m) + " must lie in [1, d = " + std::to_string(d) + "]");
  if (!(c >= 0)) throw InputError("target.expgauss_c must be >= 0");
  if (unequal && d < 15) throw InputError("target.dim = " + std::to_string(d) + ": expgauss_unequal needs d >= 15");
  if (unequal && m != 10) throw InputError("target.expgauss_m = " + std::to_string(m) + ": expgauss_unequal has m = 10");
}

double ExpGauss::log_z() const {
  // Bimodal coordinate of precision p: ∫exp(−p(x²/2 − c|x|))dx = 2 e^{pc²/2} √(2π/p) Φ(c√p);
  // Gaussian coordinate: √(2π/p).
  double lz = 0;
  for (int j = 0; j < d_; ++j) {
    const double p = precision(j);
    lz += 0.5 * std::log(2 * constants::pi / p);
    if (j < m_) {
      const double phi = 0.5 * std::erfc(-c_ * std::sqrt(p) / constants::sqrt2);
      lz += std::log(2.0) + 0.5 * p * c_ * c_ + std::log(phi);
    }
  }
  return lz;
}

void ExpGauss::energy(const Particles& x, const Scalars& U) const {
  pointwise::energy("boltzflow::targets::expgauss", Fn{d_, m_, c_, unequal_}, x, U);
}
void ExpGauss::gradient(const Particles& x, const Scalars& U, const Particles& g) const {
  pointwise::gradient("boltzflow::targets::expgauss_grad", Fn{d_, m_, c_, unequal_}, x, U, g);
}
void ExpGauss::laplacian(const Particles& x, const Scalars& lap) const {
  pointwise::laplacian("boltzflow::targets::expgauss_lap", Fn{d_, m_, c_, unequal_}, x, lap);
}

void ExpGauss::sample(std::uint64_t seed, std::uint64_t first_id, const Particles& x) const {
  const Fn f{d_, m_, c_, unequal_};
  constexpr std::uint32_t max_tries = 200;  // a redraw has probability Φ(−c√p) <= ½
  const Rng rng(seed, Stream::exact_samples);
  Kokkos::parallel_for(
      "boltzflow::targets::expgauss_sample", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)), KOKKOS_LAMBDA(const int i) {
        const std::uint64_t id = first_id + i;
        for (int j = 0; j < f.d; ++j) {
          const double sd = 1.0 / kmath::sqrt(f.prec(j));
          if (j < f.m) {
            double a = f.c + sd * rng.normal(id, 0, j);
            for (std::uint32_t t = 1; a <= 0 && t < max_tries; ++t) a = f.c + sd * rng.normal(id, t, j);
            x(i, j) = rng.rademacher(id, 0, j) * kmath::fabs(a);
          } else {
            x(i, j) = sd * rng.normal(id, 0, j);
          }
        }
      });
}

std::vector<double> ExpGauss::mode_weights() const { return std::vector<double>(num_modes(), 1.0 / num_modes()); }

void ExpGauss::assign_modes(const Particles& x, const Vector<int>& label) const {
  if (num_modes() == 0) return Target::assign_modes(x, label);
  const int m = m_;
  Kokkos::parallel_for(
      "boltzflow::targets::expgauss_modes", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)), KOKKOS_LAMBDA(const int i) {
        int code = 0;
        for (int j = 0; j < m; ++j) code |= (x(i, j) > 0 ? 1 : 0) << j;
        label(i) = code;
      });
}

}  // namespace boltzflow
