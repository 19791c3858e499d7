// MALA/HMC step-size adaptation: during warm-up the acceptance is driven to its target (0.574
// for MALA, 0.65 for HMC) from a step size far too small and from one far too large; after
// warm-up the step size is frozen (every recorded step uses the same h) and the acceptance
// stays at the target.
#include <cmath>
#include <numeric>

#include "GaussianTestTarget.hpp"
#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Progress.hpp"
#include "boltzflow/samplers/mcmc/LocalMcmc.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;

namespace {
SampleSet run_adapting(const Comm& comm, mcmc::LocalMcmc::Kind kind, const std::string& deck) {
  config::po::options_description d;
  mcmc::add_mcmc_options(d);
  const auto opts = config::Options::parse(d, deck, {});
  // 20-D diagonal Gaussian, standard deviations 0.5 ... 2: HMC's acceptance is smooth in h here
  // (in very low dimension it is a cliff at the leapfrog stability limit h = 2 σ_min).
  std::vector<double> mu(20), sd(20);
  for (int j = 0; j < 20; ++j) {
    mu[j] = 0.1 * j - 1;
    sd[j] = 0.5 + 1.5 * j / 19.0;
  }
  GaussianTestTarget t(mu, sd);
  mcmc::LocalMcmc sampler(kind, opts);
  Progress progress(comm, true);
  RunContext ctx{comm, opts, t, 3, progress};
  return sampler.run(ctx);
}

double mean(const std::vector<double>& v, std::size_t from, std::size_t to) {
  return std::accumulate(v.begin() + from, v.begin() + to, 0.0) / double(to - from);
}
}  // namespace

TEST_CASE("MCMC step size adapts to the target acceptance during warm-up, then is frozen", "[samplers][mcmc][mpi]") {
  Comm comm;
  const long warmup = 300, steps = 100;
  for (const auto kind : {mcmc::LocalMcmc::Kind::mala, mcmc::LocalMcmc::Kind::hmc}) {
    const double target = kind == mcmc::LocalMcmc::Kind::mala ? 0.574 : 0.65;
    for (const double h0 : {1e-4, 3.0}) {
      INFO((kind == mcmc::LocalMcmc::Kind::mala ? "MALA" : "HMC") << ", initial step size " << h0);
      const std::string deck = "[mcmc]\nchains = 600\nwarmup = " + std::to_string(warmup) +
                               "\nsteps = " + std::to_string(steps) + "\nstep_size = " + std::to_string(h0) +
                               "\nadapt_rate = 0.2\nrecord_every = 0\n";
      const auto s = run_adapting(comm, kind, deck);
      const auto& h = s.series.at("step_size");
      const auto& acc = s.series.at("acceptance");
      REQUIRE(h.size() == std::size_t(warmup + steps));
      REQUIRE(acc.size() == h.size());
      CHECK(h.front() == h0);
      CHECK(h[warmup - 1] != h0);  // it did adapt
      // The gain decays to 0 at the end of warm-up: the frozen h is the settled last iterate.
      INFO("frozen h " << h[warmup] << ", last warm-up h " << h[warmup - 1]);
      CHECK(h[warmup] == Approx(h[warmup - 1]).epsilon(1e-3));
      for (long k = warmup; k < warmup + steps; ++k) CHECK(h[k] == h[warmup]);  // frozen
      CHECK(s.scalars.at("step_size") == h[warmup]);
      // Per-step acceptance over 600 chains has a standard error ≈ 0.02: the mean of the last
      // 100 warm-up steps and of the sampling phase must be within 0.03 of the target.
      CHECK(std::abs(mean(acc, warmup - 100, warmup) - target) < 0.03);
      CHECK(std::abs(s.scalars.at("acceptance_rate") - target) < 0.03);
      CHECK(s.scalars.at("acceptance_rate") == Approx(mean(acc, warmup, warmup + steps)).epsilon(1e-12));
    }
  }
}

TEST_CASE("an explicit acceptance target and a zero rate (no adaptation) are honoured", "[samplers][mcmc]") {
  Comm comm;
  const auto s = run_adapting(comm, mcmc::LocalMcmc::Kind::mala,
                              "[mcmc]\nchains = 600\nwarmup = 300\nsteps = 100\ntarget_accept = 0.8\nadapt_rate = 0.2\n"
                              "record_every = 0\n");
  CHECK(std::abs(s.scalars.at("acceptance_rate") - 0.8) < 0.03);
  const auto fixed = run_adapting(comm, mcmc::LocalMcmc::Kind::mala,
                                  "[mcmc]\nchains = 100\nwarmup = 50\nsteps = 10\nstep_size = 0.01\nadapt_rate = 0\n"
                                  "record_every = 0\n");
  for (double h : fixed.series.at("step_size")) CHECK(h == 0.01);
}
