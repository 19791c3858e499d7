#pragma once
// Concentric rings in 2-D (Fisher–Rao re-implementation, targets.md §2.6): radius mixture
// p_r = (1/K)Σ_{k=1..K} N(r; kR, σ_r²), uniform angle: U = −log p_r(r) + log(2π r), r = |x| clamped
// at 1e-6. With L = log p_r: ∇U = (1/r − L') x/r, ΔU = −L'' − L'/r. log Z ≈ 0 (the mass p_r puts
// on r < 0, 3e-12 for the defaults, is the error). Modes: the K rings, equal weights.
#include "boltzflow/targets/Target.hpp"

namespace boltzflow {

class Rings : public Target {
 public:
  Rings(int K, double R, double sigma_r);
  std::string name() const override { return "rings"; }
  int dim() const override { return 2; }
  void energy(const Particles& x, const Scalars& U) const override;
  void gradient(const Particles& x, const Scalars& U, const Particles& g) const override;
  void laplacian(const Particles& x, const Scalars& lap) const override;
  bool has_log_z() const override { return true; }
  double log_z() const override { return 0.0; }
  bool has_sampler() const override { return true; }
  // k = 1 + ⌊K u_0⌋, θ = 2π u_1 (uniforms of step 0), r = kR + σ_r z redrawn while r <= 0
  // (normal 0 of step t + 1 for retry t).
  void sample(std::uint64_t seed, std::uint64_t first_id, const Particles& x) const override;
  int num_modes() const override { return K_; }
  std::vector<double> mode_weights() const override { return std::vector<double>(K_, 1.0 / K_); }
  void assign_modes(const Particles& x, const Vector<int>& label) const override;  // nearest ring radius

  struct Fn {
    int K;
    double R, s2;
    // L(r) = log p_r(r) and its first two derivatives, through the responsibilities.
    KOKKOS_INLINE_FUNCTION void radial(double r, double& L, double& L1, double& L2) const;
    KOKKOS_INLINE_FUNCTION double U(const Particles& x, int i) const;
    KOKKOS_INLINE_FUNCTION double grad(const Particles& x, int i, const Particles& g) const;
    KOKKOS_INLINE_FUNCTION double lap(const Particles& x, int i) const;
  };

 private:
  int K_;
  double R_, sigma_r_;
};

}  // namespace boltzflow
