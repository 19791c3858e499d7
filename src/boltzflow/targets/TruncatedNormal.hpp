#pragma once
// Hard truncated normal (Annealing Flow, targets.md §5): ρ ∝ 1{|x| > c} N(0, I_d),
// U = |x|²/2 outside the radius, +∞ inside (∇U = x and ΔU = d are returned everywhere: the
// outside formulas). log Z = (d/2) log 2π + log P(χ²_d > c²): −16.162123 for d = 2, c = 6.
#include "boltzflow/targets/Target.hpp"

namespace boltzflow {

class TruncatedNormal : public Target {
 public:
  TruncatedNormal(int d, double c);  // needs d >= 2 and c² > d − 2 (the sampler's envelope)
  std::string name() const override { return "truncated_normal"; }
  int dim() const override { return d_; }
  void energy(const Particles& x, const Scalars& U) const override;
  void gradient(const Particles& x, const Scalars& U, const Particles& g) const override;
  void laplacian(const Particles& x, const Scalars& lap) const override;
  bool has_log_z() const override { return true; }
  double log_z() const override;
  bool has_sampler() const override { return true; }
  // Direction: normalised Gaussian (normals j of step 0). |x|² = s from the χ²_d density
  // ∝ s^k e^{−s/2} (k = d/2 − 1) on s > c² by rejection from c² + Exp(rate λ = ½ − k/c²),
  // retry t at step t + 1; for d = 2 the first draw, s = c² + 2E, is always accepted.
  void sample(std::uint64_t seed, std::uint64_t first_id, const Particles& x) const override;
  double radius() const { return c_; }

 private:
  int d_;
  double c_;
};

// log P(χ²_d > t), from the regularized upper incomplete gamma Q(d/2, t/2).
double log_chi2_tail(int d, double t);

}  // namespace boltzflow
