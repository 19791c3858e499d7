#pragma once
// Classical baselines: N independent MALA or HMC chains split across ranks. The step size
// adapts during warm-up towards a target acceptance (Robbins–Monro on log h, driven by the
// global accepted COUNT so it is identical for any rank count; the gain decays to 0 over the
// last quarter of warm-up), then stays frozen.
#include "boltzflow/samplers/Sampler.hpp"
#include "boltzflow/samplers/mcmc/LocalKernels.hpp"

namespace boltzflow::mcmc {

void add_mcmc_options(config::po::options_description& d);

class LocalMcmc : public Sampler {
 public:
  enum class Kind { mala, hmc };
  LocalMcmc(Kind kind, const config::Options& opts);
  SampleSet run(RunContext& ctx) override;

  // Full run state, for checkpoint/restart.
  struct State {
    ChainState chains;
    double step_size = 0;
    long step = 0;  // completed moves
  };
  const State& state() const { return state_; }

 private:
  Kind kind_;
  std::int64_t chains_;
  long steps_, warmup_, record_every_, print_every_;
  double step_size0_, target_accept_, adapt_rate_, init_scale_, jitter_;
  int leapfrog_;
  std::string init_;
  State state_;
};

}  // namespace boltzflow::mcmc
