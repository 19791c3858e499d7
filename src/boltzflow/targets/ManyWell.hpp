#pragma once
// ManyWell-d (FAB): d/2 independent double wells on pairs (x_{2i}, x_{2i+1}):
// U = Σ_i [−0.5 x + (−6) x² + x⁴ + ½ y²]. Modes: sign pattern of the x_{2i}.
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
  double log_z() const override;  // (d/2)(log Z_1 + ½ log 2π), Z_1 by quadrature at construction
  bool has_sampler() const override { return true; }
  void sample(std::uint64_t seed, std::uint64_t first_id, const Particles& x) const override;
  int num_modes() const override;  // 2^(d/2) up to d = 40, else 0 (labels would overflow)
  std::vector<double> mode_weights() const override;
  void assign_modes(const Particles& x, const Vector<int>& label) const override;
  double positive_well_mass() const { return p_pos_; }
  double log_z1() const { return log_z1_; }

 private:
  int d_;
  double log_z1_, p_pos_;
};

}  // namespace boltzflow
