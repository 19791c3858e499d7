#pragma once
// Exponentially weighted Gaussian (Annealing Flow): U = |x|²/2 − c Σ_{i<m} |x_i|, 2^m equal
// modes at (±c, …, ±c, 0, …). The "unequal" variant scales coordinates 0–4 by 1/σ² = 2
// (modes of variance 0.5) and makes coordinates 10–14 N(0, 0.5) (targets.md §3).
#include "boltzflow/targets/Target.hpp"

namespace boltzflow {

class ExpGauss : public Target {
 public:
  ExpGauss(int d, int m, double c, bool unequal);
  std::string name() const override { return unequal_ ? "expgauss_unequal" : "expgauss"; }
  int dim() const override { return d_; }
  void energy(const Particles& x, const Scalars& U) const override;
  void gradient(const Particles& x, const Scalars& U, const Particles& g) const override;
  void laplacian(const Particles& x, const Scalars& lap) const override;
  bool has_log_z() const override { return true; }
  double log_z() const override;
  bool has_sampler() const override { return true; }
  void sample(std::uint64_t seed, std::uint64_t first_id, const Particles& x) const override;
  int num_modes() const override { return m_ <= 20 ? 1 << m_ : 0; }
  std::vector<double> mode_weights() const override;
  void assign_modes(const Particles& x, const Vector<int>& label) const override;

  struct Fn {
    int d, m;
    double c;
    bool unequal;
    // Per-coordinate precision: 2 on the "unequal" coordinates 0-4 and 10-14, else 1.
    KOKKOS_INLINE_FUNCTION double prec(int j) const { return unequal && (j < 5 || (j >= 10 && j < 15)) ? 2.0 : 1.0; }
    KOKKOS_INLINE_FUNCTION double U(const Particles& x, int i) const;
    KOKKOS_INLINE_FUNCTION double grad(const Particles& x, int i, const Particles& g) const;
    KOKKOS_INLINE_FUNCTION double lap(const Particles& x, int i) const;
  };

 private:
  int d_, m_;
  double c_;
  bool unequal_;
};

}  // namespace boltzflow
