#pragma once
// Neal's funnel (targets.md §4): x_0 ~ N(0, σ²), x_i | x_0 ~ N(0, e^{x_0}) for i >= 1;
// U = x_0²/(2σ²) + ½e^{−x_0}Σ_{i>=1}x_i² + (d−1)x_0/2 + C with C = ½log(2πσ²) + ((d−1)/2)log 2π,
// so log Z = 0. Neal / nJKO-IC / FAB: σ = 3, d = 10; Annealing Flow: σ = 0.9, d = 5.
#include "boltzflow/targets/Target.hpp"

namespace boltzflow {

class Funnel : public Target {
 public:
  Funnel(int d, double sigma);
  std::string name() const override { return "funnel"; }
  int dim() const override { return d_; }
  void energy(const Particles& x, const Scalars& U) const override;
  void gradient(const Particles& x, const Scalars& U, const Particles& g) const override;
  void laplacian(const Particles& x, const Scalars& lap) const override;
  bool has_log_z() const override { return true; }
  double log_z() const override { return 0.0; }
  bool has_sampler() const override { return true; }
  // Ancestral: x_0 = σ z_0, x_i = e^{x_0/2} z_i with z_j the normals j of step 0.
  void sample(std::uint64_t seed, std::uint64_t first_id, const Particles& x) const override;
  double sigma() const { return sigma_; }

  struct Fn {
    int d;
    double s2, C;  // σ², normaliser
    KOKKOS_INLINE_FUNCTION double U(const Particles& x, int i) const;
    KOKKOS_INLINE_FUNCTION double grad(const Particles& x, int i, const Particles& g) const;
    KOKKOS_INLINE_FUNCTION double lap(const Particles& x, int i) const;
  };

 private:
  Fn fn() const;
  int d_;
  double sigma_;
};

}  // namespace boltzflow
