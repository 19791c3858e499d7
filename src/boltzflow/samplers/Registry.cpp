#include "boltzflow/samplers/Registry.hpp"

#include "boltzflow/core/Error.hpp"
#include "boltzflow/samplers/fisher_rao/FisherRao.hpp"
#include "boltzflow/samplers/flow_mcmc/FlowMcmc.hpp"
#include "boltzflow/samplers/interpolant/InterpolantSampler.hpp"
#include "boltzflow/samplers/annealing_flow/AnnealingFlow.hpp"
#include "boltzflow/samplers/mcmc/LocalMcmc.hpp"
#include "boltzflow/samplers/neural_jko/NeuralJko.hpp"

namespace boltzflow {

const std::vector<MethodInfo>& methods() {
  using mcmc::LocalMcmc;
  static const std::vector<MethodInfo> list = {
      {"mala", "Metropolis-adjusted Langevin chains (baseline)", mcmc::add_mcmc_options,
       [](const config::Options& o) { return std::make_unique<LocalMcmc>(LocalMcmc::Kind::mala, o); }, true},
      {"hmc", "Hamiltonian Monte Carlo chains with leapfrog (baseline)", nullptr,  // shares [mcmc]
       [](const config::Options& o) { return std::make_unique<LocalMcmc>(LocalMcmc::Kind::hmc, o); }, true},
      {"fisher_rao", "Fisher-Rao curves: gradient-flow / linear / learned interpolation (continuity residual)",
       fisher_rao::add_fisher_rao_options,
       [](const config::Options& o) { return std::make_unique<fisher_rao::FisherRao>(o); }, true},
      {"flow_mcmc", "flow-assisted MCMC: MALA + CNF independence MH, CNF trained on the chains (interpolant loss)",
       flow_mcmc::add_flow_mcmc_options,
       [](const config::Options& o) { return std::make_unique<flow_mcmc::FlowMcmc>(o); }, true},
      {"interpolant", "CNF trained on an HDF5 data set with the stochastic-interpolant loss; samples with exact log q",
       interpolant::add_interpolant_options,
       [](const config::Options& o) { return std::make_unique<interpolant::InterpolantSampler>(o); }, true},
      {"annealing_flow", "Annealing Flow: CNF blocks trained along annealed energies (Wu & Xie 2024)",
       annealing_flow::add_annealing_flow_options,
       [](const config::Options& o) { return std::make_unique<annealing_flow::AnnealingFlow>(o); }, true},
      {"neural_jko", "importance-corrected neural JKO: CNF JKO steps + importance rejection steps (Hertrich & Gruhlke 2024)",
       neural_jko::add_neural_jko_options,
       [](const config::Options& o) { return std::make_unique<neural_jko::NeuralJko>(o); }, true},
  };
  return list;
}

std::vector<std::string> method_names() {
  std::vector<std::string> names;
  for (const auto& m : methods()) names.push_back(m.name);
  return names;
}

const MethodInfo& find_method(const std::string& name) {
  for (const auto& m : methods())
    if (m.name == name) return m;
  throw InputError("run.method = '" + name + "' is not a known method");
}

}  // namespace boltzflow
