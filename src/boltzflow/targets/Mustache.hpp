#pragma once
// Mustache (nJKO-IC "schnauzbart", targets.md §7): ρ(x) = N(T(x); 0, Σ), Σ = [[1, .9], [.9, 1]],
// T(x) = (x_0, x_1 − (x_0² − 1)²). det ∂T = 1, so U = ½TᵀΣ⁻¹T + log(2π√det Σ) has log Z = 0.
// Exact sampler: x = T⁻¹(y), y ~ N(0, Σ).
#include "boltzflow/targets/Target.hpp"

namespace boltzflow {

class Mustache : public Target {
 public:
  std::string name() const override { return "mustache"; }
  int dim() const override { return 2; }
  void energy(const Particles& x, const Scalars& U) const override;
  void gradient(const Particles& x, const Scalars& U, const Particles& g) const override;
  void laplacian(const Particles& x, const Scalars& lap) const override;
  bool has_log_z() const override { return true; }
  double log_z() const override { return 0.0; }
  bool has_sampler() const override { return true; }
  void sample(std::uint64_t seed, std::uint64_t first_id, const Particles& x) const override;
};

}  // namespace boltzflow
