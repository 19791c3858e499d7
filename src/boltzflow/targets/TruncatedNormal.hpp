#pragma once
// Hard truncated normal ρ ∝ 1{|x| > c} N(0, I): U = |x|²/2 outside the radius, +∞ inside.
// log Z = (d/2) log 2π + log P(χ²_d > c²).
#include "boltzflow/targets/Target.hpp"

namespace boltzflow {

class TruncatedNormal : public Target {
 public:
  TruncatedNormal(int d, double c);
  std::string name() const override { return "truncated_normal"; }
  int dim() const override { return d_; }
  void energy(const Particles& x, const Scalars& U) const override;
  void gradient(const Particles& x, const Scalars& U, const Particles& g) const override;
  void laplacian(const Particles& x, const Scalars& lap) const override;
  bool has_log_z() const override { return true; }
  double log_z() const override;
  bool has_sampler() const override { return true; }
  void sample(std::uint64_t seed, std::uint64_t first_id, const Particles& x) const override;
  double radius() const { return c_; }

 private:
  int d_;
  double c_;
};

}  // namespace boltzflow
