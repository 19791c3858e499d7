#pragma once
// 1-D φ⁴ (stochastic Allen–Cahn) field with Dirichlet ends φ_0 = φ_{N+1} = 0 (flonaco,
// targets.md §8): the energy is βU(φ), U = (aN/2)Σ_{i=0}^{N}(φ_{i+1} − φ_i)² + (1/(aN))Σ_{i=1}^{N}[(1 − φ_i²)²/4 + bφ_i].
// Paper setting N = 100, a = 0.1, b = 0, β = 20. Two metastable states φ ≈ ±1; modes: sign of
// mean(φ) (label 1 = positive), exact weights ½, ½ by symmetry when b = 0. log Z unknown,
// no exact sampler.
#include "boltzflow/targets/Target.hpp"

namespace boltzflow {

class Phi4 : public Target {
 public:
  Phi4(int N, double a, double b, double beta);
  std::string name() const override { return "phi4"; }
  int dim() const override { return N_; }
  void energy(const Particles& x, const Scalars& U) const override;
  void gradient(const Particles& x, const Scalars& U, const Particles& g) const override;
  void laplacian(const Particles& x, const Scalars& lap) const override;
  int num_modes() const override { return 2; }
  std::vector<double> mode_weights() const override;  // {½, ½} when b = 0, else empty (unknown)
  void assign_modes(const Particles& x, const Vector<int>& label) const override;

  struct Fn {
    int N;
    double a, b, beta;
    KOKKOS_INLINE_FUNCTION double at(const Particles& x, int i, int j) const { return j < 0 || j >= N ? 0.0 : x(i, j); }
    KOKKOS_INLINE_FUNCTION double U(const Particles& x, int i) const;
    KOKKOS_INLINE_FUNCTION double grad(const Particles& x, int i, const Particles& g) const;
    KOKKOS_INLINE_FUNCTION double lap(const Particles& x, int i) const;
  };

 private:
  int N_;
  double a_, b_, beta_;
};

}  // namespace boltzflow
