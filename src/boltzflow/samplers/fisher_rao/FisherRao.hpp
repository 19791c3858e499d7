#pragma once
// run.method = fisher_rao (methods.md §3): learn a curve of Boltzmann densities ρₜ ∝ exp fₜ
// from N(0, I) (or N(0, σ²I)) to the target by driving the continuity-equation residual to
// zero, then sample by integrating the curve's velocity with exact divergence, so every sample
// carries log q. Data-parallel: every rank evaluates the residual on its slice of the global
// collocation batch; one allreduce per step sums the gradients.
#include <memory>

#include "boltzflow/nn/Adam.hpp"
#include "boltzflow/ode/Scheme.hpp"
#include "boltzflow/samplers/Sampler.hpp"
#include "boltzflow/samplers/fisher_rao/Collocation.hpp"
#include "boltzflow/samplers/fisher_rao/Model.hpp"

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
  std::unique_ptr<Model> model_;
};

}  // namespace boltzflow::fisher_rao
