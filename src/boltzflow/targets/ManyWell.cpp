#include "boltzflow/targets/ManyWell.hpp"

#include <cmath>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Math.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/targets/Pointwise.hpp"

namespace boltzflow {

namespace {
KOKKOS_INLINE_FUNCTION double well(double x) { return -0.5 * x - 6.0 * x * x + x * x * x * x; }

struct ManyWellFn {
  int d;
  KOKKOS_INLINE_FUNCTION double U(const Particles& x, int i) const {
    double u = 0;
    for (int p = 0; p < d; p += 2) u += well(x(i, p)) + 0.5 * x(i, p + 1) * x(i, p + 1);
    return u;
  }
  KOKKOS_INLINE_FUNCTION double grad(const Particles& x, int i, const Particles& g) const {
    double u = 0;
    for (int p = 0; p < d; p += 2) {
      const double a = x(i, p), b = x(i, p + 1);
      u += well(a) + 0.5 * b * b;
      g(i, p) = -0.5 - 12.0 * a + 4.0 * a * a * a;
      g(i, p + 1) = b;
    }
    return u;
  }
  KOKKOS_INLINE_FUNCTION double lap(const Particles& x, int i) const {
    double l = 0;
    for (int p = 0; p < d; p += 2) l += 12.0 * x(i, p) * x(i, p) - 11.0;
    return l;
  }
};

// ∫_lo^hi exp(−well(x)) dx by composite Simpson (the integrand is below e^{-500} past |x| = 6).
double well_integral(double lo, double hi) {
  const int n = 20000;
  const double h = (hi - lo) / n;
  double s = 0;
  for (int k = 0; k <= n; ++k) {
    const double w = (k == 0 || k == n) ? 1 : (k % 2 ? 4 : 2);
    s += w * std::exp(-well(lo + k * h));
  }
  return s * h / 3;
}
}  // namespace

ManyWell::ManyWell(int d) : d_(d) {
  if (d < 2 || d % 2) throw InputError("target.dim = " + std::to_string(d) + ": ManyWell needs an even dimension >= 2");
  const double neg = well_integral(-6, 0), pos = well_integral(0, 6);
  log_z1_ = std::log(neg + pos);
  p_pos_ = pos / (neg + pos);
}

double ManyWell::log_z() const { return 0.5 * d_ * (log_z1_ + 0.5 * constants::log_2pi); }

void ManyWell::energy(const Particles& x, const Scalars& U) const {
  pointwise::energy("boltzflow::targets::manywell", ManyWellFn{d_}, x, U);
}
void ManyWell::gradient(const Particles& x, const Scalars& U, const Particles& g) const {
  pointwise::gradient("boltzflow::targets::manywell_grad", ManyWellFn{d_}, x, U, g);
}
void ManyWell::laplacian(const Particles& x, const Scalars& lap) const {
  pointwise::laplacian("boltzflow::targets::manywell_lap", ManyWellFn{d_}, x, lap);
}

void ManyWell::sample(std::uint64_t seed, std::uint64_t first_id, const Particles& x) const {
  // Pair p, retry t: uniforms 4p (component) and 4p+1 (acceptance), normal 4p+2 (it consumes
  // uniforms 4p+2, 4p+3) at step t; y of pair p: normal 2p at the reserved last step.
  const int d = d_;
  const double log_m = std::log(3.0) + log_z1_;
  constexpr std::uint32_t max_tries = 1000, y_step = 0xFFFFFFFFu;  // P(1000 rejections) = (2/3)^1000
  const Rng rng(seed, Stream::exact_samples);
  Kokkos::parallel_for(
      "boltzflow::targets::manywell_sample", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)), KOKKOS_LAMBDA(const int i) {
        const std::uint64_t id = first_id + i;
        for (int p = 0; p < d / 2; ++p) {
          const std::uint32_t k = 4u * static_cast<std::uint32_t>(p);
          double a = 0;
          for (std::uint32_t t = 0; t < max_tries; ++t) {
            a = (rng.uniform(id, t, k) < 0.2 ? -1.7 : 1.7) + 0.5 * rng.normal(id, t, k + 2);
            const double z1 = (a + 1.7) / 0.5, z2 = (a - 1.7) / 0.5;
            const double g = (0.2 * kmath::exp(-0.5 * z1 * z1) + 0.8 * kmath::exp(-0.5 * z2 * z2)) /
                             (0.5 * kmath::sqrt(2 * constants::pi));
            if (kmath::log(rng.uniform(id, t, k + 1)) < -well(a) - log_m - kmath::log(g)) break;
          }
          x(i, 2 * p) = a;
          x(i, 2 * p + 1) = rng.normal(id, y_step, 2 * p);
        }
      });
}

int ManyWell::num_modes() const { return d_ <= 40 ? 1 << (d_ / 2) : 0; }

std::vector<double> ManyWell::mode_weights() const {
  const int n = d_ / 2, K = num_modes();
  std::vector<double> w(K);
  for (int k = 0; k < K; ++k) {
    int m = 0;
    for (int b = 0; b < n; ++b) m += (k >> b) & 1;
    w[k] = std::pow(p_pos_, m) * std::pow(1 - p_pos_, n - m);
  }
  return w;
}

void ManyWell::assign_modes(const Particles& x, const Vector<int>& label) const {
  if (num_modes() == 0) return Target::assign_modes(x, label);
  const int d = d_;
  Kokkos::parallel_for(
      "boltzflow::targets::manywell_modes", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)), KOKKOS_LAMBDA(const int i) {
        int code = 0;
        for (int p = 0; p < d; p += 2) code |= (x(i, p) > 0 ? 1 : 0) << (p / 2);
        label(i) = code;
      });
}

}  // namespace boltzflow
