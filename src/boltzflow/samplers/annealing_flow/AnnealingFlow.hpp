#pragma once
// Annealing Flow (Wu & Xie, arXiv 2409.20547; methods.md §1): K CNF blocks trained one after
// the other along annealed energies E_k from π0 = N(0, I) to the target, each on the training
// particles pushed through the blocks before it, with the clean objective
//   L_k = E[E_k(x(1))] − E[∫ ∇·v dt] + γ_k ∫ E‖v‖² dt.
// Unlike the reference code every sample carries its exact log q (exact divergence through all
// blocks), so the output has importance weights, reverse ESS and log Z.
#include <vector>

#include "boltzflow/samplers/Sampler.hpp"
#include "boltzflow/samplers/annealing_flow/AnnealingFlowOptions.hpp"
#include "boltzflow/samplers/cnf/BlockTrainer.hpp"
#include "boltzflow/samplers/cnf/CnfModel.hpp"

namespace boltzflow::annealing_flow {

class AnnealingFlow : public Sampler {
 public:
  explicit AnnealingFlow(const config::Options& opts) : config_(af_config(opts)) {}
  explicit AnnealingFlow(AfConfig config) : config_(std::move(config)) {}
  SampleSet run(RunContext& ctx) override;

  // Run state: the trained blocks, their training logs, the training particles after the last
  // completed block (and their log q), for checkpoints and tests.
  struct State {
    cnf::CnfModel model;
    std::vector<cnf::TrainLog> logs;
    Particles pool;
    Scalars pool_log_q;
    int completed = 0;
  };
  const State& state() const { return state_; }
  const AfConfig& config() const { return config_; }

 private:
  cnf::EnergyFn block_energy(const Target& target, int k) const;
  AfConfig config_;
  State state_;
};

}  // namespace boltzflow::annealing_flow
