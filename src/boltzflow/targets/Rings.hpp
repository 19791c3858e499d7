#pragma once
// Concentric rings in 2-D (Fisher–Rao re-implementation): radius mixture (1/K)Σ_k N(r; kR, σ_r²),
// uniform angle: U = −log p_r(r) + log(2π r), r = |x| (clamped ≥ 1e-6). log Z ≈ 0 (mass at r < 0 ≈ 3e-12).
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
  bool has_sampler() const override { return true; }
  void sample(std::uint64_t seed, std::uint64_t first_id, const Particles& x) const override;
  int num_modes() const override { return K_; }
  std::vector<double> mode_weights() const override { return std::vector<double>(K_, 1.0 / K_); }
  void assign_modes(const Particles& x, const Vector<int>& label) const override;

  struct Fn {
    int K;
    double R, s2;
    // L(r) = log p_r(r) and its first two derivatives, through responsibilities.
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
