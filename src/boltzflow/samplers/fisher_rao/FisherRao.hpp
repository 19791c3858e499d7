#pragma once
// run.method = fisher_rao (methods.md §3): learn a curve of Boltzmann densities ρₜ ∝ exp fₜ
// from N(0, I) (or N(0, σ²I)) to the target by driving the continuity-equation residual to
// zero, then sample by integrating the curve's velocity with exact divergence, so every sample
// carries log q. Data-parallel: every rank evaluates the residual on its slice of the global
// collocation batch; one allreduce per step sums the gradients. Checkpoint/restart (TrainState):
// every run.checkpoint_every iterations, at the end of training (with run.checkpoint_every = 0 too)
// and on a stop signal; a restart from the checkpoint after training skips training.
#include <Kokkos_Timer.hpp>
#include <memory>
#include <string>

#include "boltzflow/nn/Adam.hpp"
#include "boltzflow/ode/Scheme.hpp"
#include "boltzflow/samplers/Sampler.hpp"
#include "boltzflow/samplers/fisher_rao/Collocation.hpp"
#include "boltzflow/samplers/fisher_rao/Model.hpp"
#include "boltzflow/samplers/fisher_rao/TrainState.hpp"

namespace boltzflow::fisher_rao {

void add_fisher_rao_options(config::po::options_description& d);

class FisherRao : public Sampler {
 public:
  explicit FisherRao(const config::Options& opts);
  SampleSet run(RunContext& ctx) override;
  const Model& model() const { return *model_; }
  // Phases of run(); public because CUDA extended lambdas may not live in private member functions.
  void train(RunContext& ctx, SampleSet& out);
  void sample(RunContext& ctx, SampleSet& out);
  double nll(RunContext& ctx);
  // With checkpoints on: writes the checkpoint if `stop` (a stop signal agreed over all ranks) or
  // `due`, and on a stop throws StopRequested whose message ends with `where`. Collective.
  void checkpoint(RunContext& ctx, bool stop, bool due, const std::string& where);

 private:
  ModelConfig cfg_;
  nn::AdamConfig adam_;
  LossKind loss_;
  long iterations_, print_every_;
  std::int64_t batch_, samples_, sample_batch_, nll_samples_, save_trajectories_;
  int collocation_times_, sample_steps_;
  double t_min_, t_max_;
  ode::Scheme scheme_;
  BoxOu box_;
  std::shared_ptr<Model> model_;  // shared with the output's log_density, which outlives run()
  std::unique_ptr<TrainState> state_;
  Kokkos::Timer train_timer_;  // this process's training time, while training_
  bool training_ = false;
};

}  // namespace boltzflow::fisher_rao
