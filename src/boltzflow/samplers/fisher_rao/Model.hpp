#pragma once
// The networks of one Fisher–Rao curve — ψ_θ(x,t) (gradient flow, learned), the schedule g_φ(t)
// (gradient flow), C_t (optional) and v_θ(x,t) (linear, learned) — and one packed gradient
// View with a subview per network, so data-parallel training needs ONE allreduce per step.
#include <memory>
#include <string>
#include <vector>

#include "boltzflow/nn/EnergyMlp.hpp"
#include "boltzflow/nn/NetworkOptions.hpp"
#include "boltzflow/nn/VelocityMlp.hpp"
#include "boltzflow/samplers/fisher_rao/Interpolation.hpp"
#include "boltzflow/samplers/fisher_rao/LogTargetWeight.hpp"
#include "boltzflow/samplers/fisher_rao/TimeNet.hpp"
#include "boltzflow/samplers/fisher_rao/VpSchedule.hpp"

namespace boltzflow::fisher_rao {

struct ModelConfig {
  Interpolation kind = Interpolation::gradient_flow;
  int dim = 2;
  nn::NetworkConfig net;              // ψ and v (shape.dim/outputs set here)
  int time_width = 64, time_depth = 2;  // g_φ and C_t
  bool learn_c = false;
  double base_sigma = 1.0;  // π₀ = N(0, σ² I) of the linear / learned curves
  VpSchedule vp;            // gradient flow
  LogTargetWeight weight = LogTargetWeight::affine;  // gradient flow: a(t) of log ρ̃ from g(t)
};

class Model {
 public:
  using Vec = Vector<Real>;
  explicit Model(const ModelConfig& c);

  const ModelConfig& config() const { return config_; }
  Interpolation kind() const { return config_.kind; }
  int dim() const { return config_.dim; }

  std::unique_ptr<nn::EnergyMlp<Real>> psi;   // gradient flow, learned
  std::unique_ptr<TimeNet> g;                 // gradient flow
  std::unique_ptr<TimeNet> c;                 // learn_c
  std::unique_ptr<nn::VelocityMlp<Real>> v;   // linear, learned

  struct Block {
    std::string name;  // "psi", "g", "c", "v"
    Vec params;        // the network's own flat parameters
    Vec grad;          // its slice of grads
  };
  const std::vector<Block>& blocks() const { return blocks_; }
  Vec grads() const { return grads_; }  // all blocks, packed
  Vec grad(const std::string& name) const;  // one block's slice (logic_error if absent)
  std::size_t num_params() const { return grads_.extent(0); }
  void zero_grads() const { Kokkos::deep_copy(grads_, 0.0); }
  // C_t (0 without a learned constant).
  double c_value(double t) const { return c ? c->eval(t).first : 0.0; }

 private:
  ModelConfig config_;
  std::vector<Block> blocks_;
  Vec grads_;
};

}  // namespace boltzflow::fisher_rao
