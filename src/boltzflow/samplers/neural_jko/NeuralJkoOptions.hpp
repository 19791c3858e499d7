#pragma once
// Deck section [neural_jko]: the step sequence, τ schedule, CNF network and training, rejection
// steps and sampling of the importance-corrected neural JKO sampler (methods.md §2). Defaults
// are the reference code's defaults (johertrich/neural_JKO_ic, examples/configs.py).
#include <cstdint>
#include <string>
#include <vector>

#include "boltzflow/config/Options.hpp"
#include "boltzflow/nn/Adam.hpp"
#include "boltzflow/nn/NetworkOptions.hpp"
#include "boltzflow/ode/Integrator.hpp"
#include "boltzflow/samplers/cnf/TrainingOptions.hpp"

namespace boltzflow::neural_jko {

struct NeuralJkoConfig {
  int n_flow = 4;                 // CNF steps before the first rejection block
  int n_rej = 6;                  // blocks of (1 CNF step + rejections_per_block rejection steps)
  int rejections_per_block = 3;
  double rejection_rate = 0.2;    // target mean rejection rate when fitting c
  double tau0 = 0.01, tau_base = 4.0;  // τ_k = τ0 · base^k
  std::int64_t dataset = 50000;   // training samples (all ranks), regenerated after each CNF step
  cnf::TrainingOptions train;     // Adam steps and minibatch per CNF, divergence, lr 5e-3 with
                                  // staircase decay 0.95 every 100 steps, memory budget
  int width = 0;                  // hidden width; 0 = 2d + 50 (reference rule)
  nn::NetworkConfig network;      // depth, activation, time input; zero last layer (identity start)
  ode::FlowSpec flow;             // scheme and RK steps per CNF on t ∈ [0, 1]
  double latent_scale = 1.0;
  std::int64_t stack_size = 5000;
  int eval_batch = 0;             // rows per model evaluation chunk; 0: from the memory budget
  std::int64_t samples = 50000;   // output samples

  int num_cnf() const { return n_flow + n_rej; }
  // The run's steps in order, 0 = CNF step, 1 = rejection step: n_flow CNFs, then n_rej times
  // (1 CNF + rejections_per_block rejections).
  std::vector<std::int64_t> plan() const;
  double tau(int k) const;
  int hidden_width(int d) const { return width > 0 ? width : 2 * d + 50; }
};

void add_neural_jko_options(config::po::options_description& d);
NeuralJkoConfig neural_jko_config(const config::Options& opts);

}  // namespace boltzflow::neural_jko
