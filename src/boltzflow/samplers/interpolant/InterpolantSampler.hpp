#pragma once
// run.method = interpolant (seed 001, first half): density estimation from data. Reads an
// (N, d) HDF5 dataset, holds out a random test fraction (Stream::interpolant_split keyed by
// the row), fits the whitening on the training rows, trains the CNF with the interpolant
// loss (data-parallel Adam), then reports the test-set log-likelihood (exact divergence,
// backward ODE) and writes fresh samples of the flow with their exact log q, so the driver's
// report gives IS weights, ESS, log Ẑ and distances against the deck's target. Checkpoints
// (flow, Adam, losses) every run.checkpoint_every Adam steps, at the end of training and on
// SIGTERM/SIGUSR1 (polled every 16 steps); a restart continues bit-identically.
#include "boltzflow/samplers/Sampler.hpp"

namespace boltzflow::interpolant {

void add_interpolant_options(config::po::options_description& d);

class InterpolantSampler : public Sampler {
 public:
  explicit InterpolantSampler(const config::Options& opts);
  SampleSet run(RunContext& ctx) override;

 private:
  std::string file_, dataset_;
  double test_fraction_;
  long steps_, print_every_;
  std::int64_t samples_;
};

}  // namespace boltzflow::interpolant
