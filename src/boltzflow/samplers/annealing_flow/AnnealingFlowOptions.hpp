#pragma once
// Deck section [annealing_flow]: every key of the method with the reference values of the
// official code (methods.md §1.2–1.3, GMM ring K = 8, c = 10) as defaults.
#include <string>

#include "boltzflow/config/Options.hpp"
#include "boltzflow/nn/Adam.hpp"
#include "boltzflow/nn/NetworkOptions.hpp"
#include "boltzflow/ode/Integrator.hpp"
#include "boltzflow/samplers/annealing_flow/Schedule.hpp"
#include "boltzflow/samplers/cnf/TrainingOptions.hpp"

namespace boltzflow::annealing_flow {

void add_annealing_flow_options(config::po::options_description& d);

struct AfConfig {
  Schedule schedule;
  bool truncation = false;  // schedule = truncated_normal: (c_k, p_k) relaxation instead of β_k
  double truncation_radius = 6.0;
  ode::FlowSpec flow;       // scheme, steps per block on t ∈ [0, 1]
  nn::NetworkConfig network;
  bool warm_start = true;
  std::int64_t particles = 100000, samples = 10000;
  cnf::TrainingOptions train;  // iterations, batch, divergence, Adam, memory budget
  std::int64_t trajectories = 100;
  int langevin_steps = 0;
  double langevin_step = 0.05;
  bool resample = false;
};

// Resolved and cross-checked configuration (InputError naming the key).
AfConfig af_config(const config::Options& opts);

}  // namespace boltzflow::annealing_flow
