#include "boltzflow/targets/Phi4.hpp"

#include "boltzflow/core/Error.hpp"
#include "boltzflow/targets/Pointwise.hpp"

namespace boltzflow {

KOKKOS_INLINE_FUNCTION double Phi4::Fn::U(const Particles& x, int i) const {
  const double aN = a * N;
  double kin = 0, pot = 0;
  for (int j = -1; j < N; ++j) {
    const double dphi = at(x, i, j + 1) - at(x, i, j);
    kin += dphi * dphi;
  }
  for (int j = 0; j < N; ++j) {
    const double p = x(i, j);
    pot += 0.25 * (1 - p * p) * (1 - p * p) + b * p;
  }
  return beta * (0.5 * aN * kin + pot / aN);
}
// ∂U/∂φ_i = aN(2φ_i − φ_{i−1} − φ_{i+1}) + (φ_i³ − φ_i + b)/(aN).
KOKKOS_INLINE_FUNCTION double Phi4::Fn::grad(const Particles& x, int i, const Particles& g) const {
  const double aN = a * N;
  double kin = 0, pot = 0;
  for (int j = 0; j < N; ++j) {
    const double p = x(i, j), left = at(x, i, j - 1), right = at(x, i, j + 1);
    kin += (p - left) * (p - left);
    pot += 0.25 * (1 - p * p) * (1 - p * p) + b * p;
    g(i, j) = beta * (aN * (2 * p - left - right) + (p * p * p - p + b) / aN);
  }
  kin += x(i, N - 1) * x(i, N - 1);  // the bond to the right wall φ_{N+1} = 0
  return beta * (0.5 * aN * kin + pot / aN);
}
KOKKOS_INLINE_FUNCTION double Phi4::Fn::lap(const Particles& x, int i) const {
  const double aN = a * N;
  double l = 0;
  for (int j = 0; j < N; ++j) l += 2 * aN + (3 * x(i, j) * x(i, j) - 1) / aN;
  return beta * l;
}

Phi4::Phi4(int N, double a, double b, double beta) : N_(N), a_(a), b_(b), beta_(beta) {
  if (N < 1) throw InputError("target.dim = " + std::to_string(N) + ": phi4 needs N >= 1 grid values");
  if (!(a > 0)) throw InputError("target.phi4_a must be positive");
  if (!(beta > 0)) throw InputError("target.phi4_beta must be positive");
}

void Phi4::energy(const Particles& x, const Scalars& U) const {
  pointwise::energy("boltzflow::targets::phi4", Fn{N_, a_, b_, beta_}, x, U);
}
void Phi4::gradient(const Particles& x, const Scalars& U, const Particles& g) const {
  pointwise::gradient("boltzflow::targets::phi4_grad", Fn{N_, a_, b_, beta_}, x, U, g);
}
void Phi4::laplacian(const Particles& x, const Scalars& lap) const {
  pointwise::laplacian("boltzflow::targets::phi4_lap", Fn{N_, a_, b_, beta_}, x, lap);
}

std::vector<double> Phi4::mode_weights() const { return b_ == 0 ? std::vector<double>{0.5, 0.5} : std::vector<double>{}; }

void Phi4::assign_modes(const Particles& x, const Vector<int>& label) const {
  const int N = N_;
  Kokkos::parallel_for(
      "boltzflow::targets::phi4_modes", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)), KOKKOS_LAMBDA(const int i) {
        double m = 0;
        for (int j = 0; j < N; ++j) m += x(i, j);
        label(i) = m > 0 ? 1 : 0;
      });
}

}  // namespace boltzflow
