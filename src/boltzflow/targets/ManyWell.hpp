#pragma once
// ManyWell-d (FAB, targets.md §6): d/2 independent 2-D double wells on the pairs
// (x_{2i}, x_{2i+1}): U = Σ_i [−0.5 x − 6 x² + x⁴ + ½ y²]. Z_1 = ∫exp(−(−0.5x − 6x² + x⁴))dx and
// the mass of the x > 0 well come from a quadrature done at construction; 2^(d/2) modes = sign
// patterns of the x_{2i}, a mode with m positive signs weighing P₊^m (1 − P₊)^(d/2−m).
#include "boltzflow/targets/Target.hpp"

namespace boltzflow {

class ManyWell : public Target {
 public:
  explicit ManyWell(int d);
  std::string name() const override { return "manywell"; }
  int dim() const override { return d_; }
  void energy(const Particles& x, const Scalars& U) const override;
  void gradient(const Particles& x, const Scalars& U, const Particles& g) const override;
  void laplacian(const Particles& x, const Scalars& lap) const override;
  bool has_log_z() const override { return true; }
  double log_z() const override;  // (d/2)(log Z_1 + ½ log 2π)
  bool has_sampler() const override { return true; }
  // FAB's sampler: x by rejection from 0.2 N(−1.7, 0.5²) + 0.8 N(1.7, 0.5²) with envelope
  // 3 Z_1 g (acceptance 1/3), retry t at step t; y ~ N(0, 1).
  void sample(std::uint64_t seed, std::uint64_t first_id, const Particles& x) const override;
  int num_modes() const override;  // 2^(d/2) for d <= 40 (FAB's mode test set), else 0
  std::vector<double> mode_weights() const override;
  // Label = Σ_i [x_{2i} > 0] 2^i.
  void assign_modes(const Particles& x, const Vector<int>& label) const override;

  double positive_well_mass() const { return p_pos_; }  // P(x > 0) of one well: 0.844307
  double log_z1() const { return log_z1_; }

 private:
  int d_;
  double log_z1_, p_pos_;
};

}  // namespace boltzflow
