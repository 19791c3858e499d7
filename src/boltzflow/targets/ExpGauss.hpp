#pragma once
// Exponentially weighted Gaussian (Annealing Flow, targets.md §3): U = |x|²/2 − c Σ_{j<m} |x_j|,
// 2^m equal-weight modes at (±c, ..., ±c, 0, ...). The "unequal" variant (d >= 15, m = 10)
// multiplies coordinates 0–4 (bimodal) and 10–14 (Gaussian) by 1/σ² = 2: those modes have
// variance 0.5; the sign patterns stay equally weighted.
// log Z = Σ_{j<m} [log 2 + p_j c²/2 + ½log(2π/p_j) + log Φ(c√p_j)] + Σ_{j>=m} ½log(2π/p_j), p_j the
// coordinate's precision (552.878398 and 799.412663 for the two d = 50 targets).
#include "boltzflow/targets/Target.hpp"

namespace boltzflow {

class ExpGauss : public Target {
 public:
  ExpGauss(int d, int m, double c, bool unequal);
  std::string name() const override { return unequal_ ? "expgauss_unequal" : "expgauss"; }
  int dim() const override { return d_; }
  void energy(const Particles& x, const Scalars& U) const override;
  void gradient(const Particles& x, const Scalars& U, const Particles& g) const override;
  // ΔU = Σ_j p_j almost everywhere (the |x_j| kinks at 0 have measure zero).
  void laplacian(const Particles& x, const Scalars& lap) const override;
  bool has_log_z() const override { return true; }
  double log_z() const override;
  bool has_sampler() const override { return true; }
  // j < m: sign ±1 (Rademacher j, step 0), |x_j| ~ N(c, 1/p_j) conditioned on > 0 (normal j,
  // retry t at step t); j >= m: N(0, 1/p_j) (normal j, step 0).
  void sample(std::uint64_t seed, std::uint64_t first_id, const Particles& x) const override;
  int num_modes() const override { return m_ <= 20 ? 1 << m_ : 0; }
  std::vector<double> mode_weights() const override;
  // Label = Σ_{j<m} [x_j > 0] 2^j (metrics.md §5: the sign pattern of x_1..x_m).
  void assign_modes(const Particles& x, const Vector<int>& label) const override;

  int bimodal_dims() const { return m_; }
  double shift() const { return c_; }
  // Precision p_j of coordinate j: 2 on the unequal variant's coordinates 0–4 and 10–14, else 1.
  double precision(int j) const { return Fn{d_, m_, c_, unequal_}.prec(j); }

  struct Fn {
    int d, m;
    double c;
    bool unequal;
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
