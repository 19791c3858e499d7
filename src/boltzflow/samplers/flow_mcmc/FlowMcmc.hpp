#pragma once
// Flow-assisted MCMC (Gabrié, Rotskoff, Vanden-Eijnden; methods.md §4): walkers split over
// ranks alternate local MALA moves with independence-MH moves proposed by a CNF. The CNF
// (whitened coordinates, exact log q) is trained with the interpolant loss (or, with
// flow_mcmc.loss = likelihood, by maximum likelihood through the ODE) on a sliding
// window of chain states during the TRAINING phase (adaptive, reported separately) and is
// frozen in the PRODUCTION phase, where the chains are a valid (non-adaptive) MCMC and the
// recorded states are the output samples. global_steps = 0 gives the same walkers with
// MALA alone (the baseline run side by side).
//
// Per iteration:  local_steps × MALA → snapshot → [training: train_steps Adam steps on the
// window; whitening refitted] → log q of all walkers by the backward ODE → global_steps ×
// flow MH → snapshot; diagnostics (acceptances, loss, mode fractions, mode switches).
//
// Checkpoints (samplers/Checkpoint.hpp) are taken after completed rounds (PhasePlan: burn-in
// moves, then iterations): every run.checkpoint_every rounds, at each phase end and on
// SIGTERM/SIGUSR1 (polled every 16 burn-in moves and after every iteration; exit 4). A
// restart continues bit-identically for the same seed and rank count.
#include "boltzflow/samplers/Sampler.hpp"
#include "boltzflow/samplers/flow_mcmc/WalkerStart.hpp"

namespace boltzflow::flow_mcmc {

void add_flow_mcmc_options(config::po::options_description& d);

class FlowMcmc : public Sampler {
 public:
  explicit FlowMcmc(const config::Options& opts);
  SampleSet run(RunContext& ctx) override;

 private:
  std::int64_t walkers_;
  long burnin_, local_steps_, global_steps_, training_its_, production_its_, train_steps_, window_, record_every_,
      print_every_;
  double step_size0_, target_accept_, adapt_rate_;
  bool adapt_in_training_;
  bool likelihood_;  // flow_mcmc.loss = likelihood (else the interpolant loss)
  std::int64_t is_samples_;
  WalkerStart start_;
};

}  // namespace boltzflow::flow_mcmc
