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
  for (int j = 0; j < d; ++j) {
    const double v = x(i, j);
    g(i, j) = prec(j) * (v - (j < m ? c * (v > 0 ? 1.0 : (v < 0 ? -1.0 : 0.0)) : 0.0));
  }
  return U(x, i);
}
KOKKOS_INLINE_FUNCTION double ExpGauss::Fn::lap(const Particles&, int) const {
  double l = 0;  // almost everywhere (the |x_i| kinks are measure zero)
  for (int j = 0; j < d; ++j) l += prec(j);
  return l;
}

ExpGauss::ExpGauss(int d, int m, double c, bool unequal) : d_(d), m_(m), c_(c), unequal_(unequal) {
  if (m < 1 || m > d) throw InputError("target.bimodal_dims = " + std::to_string(m) + " must lie in [1, target.dim]");
  if (unequal && d < 15) throw InputError("target.dim = " + std::to_string(d) + ": expgauss_unequal needs d >= 15");
}

double ExpGauss::log_z() const {
  // Per bimodal coordinate with precision p: ∫exp(−p(x²/2 − c|x|)) = 2 e^{pc²/2} √(2π/p) Φ(c√p);
  // per Gaussian coordinate: ½ log(2π/p).
  double lz = 0;
  for (int j = 0; j < d_; ++j) {
    const double p = Fn{d_, m_, c_, unequal_}.prec(j);
    if (j < m_) {
      const double phi = 0.5 * std::erfc(-c_ * std::sqrt(p) / constants::sqrt2);
      lz += std::log(2.0) + 0.5 * p * c_ * c_ + 0.5 * std::log(2 * constants::pi / p) + std::log(phi);
    } else {
      lz += 0.5 * std::log(2 * constants::pi / p);
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
  const Rng rng(seed, Stream::exact_samples);
  Kokkos::parallel_for(
      "boltzflow::targets::expgauss_sample", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)), KOKKOS_LAMBDA(const int i) {
        const std::uint64_t id = first_id + i;
        for (int j = 0; j < f.d; ++j) {
          const double sd = 1.0 / kmath::sqrt(f.prec(j));
          if (j < f.m) {  // sign uniform, |x| ~ N(c, sd²) conditioned on > 0 (redraw: P ≈ Φ(−c/sd))
            double a = -1;
            for (std::uint32_t t = 0; a <= 0 && t < 64; ++t) a = f.c + sd * rng.normal(id, t, j);
            x(i, j) = rng.uniform(id, 1000, j) < 0.5 ? -a : a;
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
