#pragma once
// Neal's funnel: x_0 ~ N(0, σ²), x_i | x_0 ~ N(0, e^{x_0}); U includes the normaliser (log Z = 0).
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
  bool has_sampler() const override { return true; }
  void sample(std::uint64_t seed, std::uint64_t first_id, const Particles& x) const override;

 private:
  int d_;
  double sigma_;
};

}  // namespace boltzflow
