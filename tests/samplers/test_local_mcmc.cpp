#include <cmath>

#include "GaussianTestTarget.hpp"
#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Progress.hpp"
#include "boltzflow/samplers/mcmc/LocalMcmc.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;

namespace {
config::Options mcmc_options(const std::string& deck) {
  config::po::options_description d;
  mcmc::add_mcmc_options(d);
  return config::Options::parse(d, deck, {});
}

SampleSet run_chains(const Comm& comm, mcmc::LocalMcmc::Kind kind, const Target& t, const std::string& deck,
                     std::uint64_t seed) {
  const auto opts = mcmc_options(deck);
  mcmc::LocalMcmc sampler(kind, opts);
  Progress progress(comm, true);
  RunContext ctx{comm, opts, t, seed, progress};
  return sampler.run(ctx);
}

// Pooled mean and variance of coordinate j over all ranks' final chain states.
std::pair<double, double> moments(const Comm& comm, const SampleSet& s, int j) {
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), s.x);
  double a = 0, b = 0;
  for (std::size_t i = 0; i < h.extent(0); ++i) {
    a += h(i, j);
    b += h(i, j) * h(i, j);
  }
  const double n = double(s.dec.global), m = comm.sum(a) / n;
  return {m, comm.sum(b) / n - m * m};
}
}  // namespace

TEST_CASE("MALA and HMC chains reach the moments of an anisotropic Gaussian", "[samplers][mcmc]") {
  Comm comm;
  GaussianTestTarget t({1.0, -2.0, 0.5}, {0.5, 2.0, 1.0});
  const std::string deck = "[mcmc]\nchains = 4000\nwarmup = 300\nsteps = 200\ninit_scale = 3\nrecord_every = 0\n";
  for (auto kind : {mcmc::LocalMcmc::Kind::mala, mcmc::LocalMcmc::Kind::hmc}) {
    const auto s = run_chains(comm, kind, t, deck, 7);
    const double n = double(s.dec.global);
    for (int j = 0; j < 3; ++j) {
      const auto [m, v] = moments(comm, s, j);
      const double var = t.s[j] * t.s[j];
      // Final states of independent chains: 5-sigma bounds of the sample mean and variance.
      CHECK(std::abs(m - t.mu[j]) < 5 * std::sqrt(var / n));
      CHECK(std::abs(v - var) < 5 * var * std::sqrt(2.0 / n));
    }
    const double target_acc = kind == mcmc::LocalMcmc::Kind::mala ? 0.574 : 0.65;
    CHECK(std::abs(s.scalars.at("acceptance_rate") - target_acc) < 0.08);
  }
}

TEST_CASE("MALA samples do not depend on the rank count", "[samplers][mcmc][mpi]") {
  Comm comm;
  GaussianTestTarget t({0.0, 0.0}, {1.0, 0.3});
  const std::string deck = "[mcmc]\nchains = 37\nwarmup = 20\nsteps = 30\nrecord_every = 5\n";
  const auto dist = run_chains(comm, mcmc::LocalMcmc::Kind::mala, t, deck, 11);
  auto all = comm.allgather_rows(Kokkos::create_mirror_view_and_copy(HostSpace(), dist.x));
  Comm self(MPI_COMM_SELF);  // the same run on one rank, in this process
  const auto serial = run_chains(self, mcmc::LocalMcmc::Kind::mala, t, deck, 11);
  auto ref = Kokkos::create_mirror_view_and_copy(HostSpace(), serial.x);
  REQUIRE(all.extent(0) == ref.extent(0));
  int mismatches = 0;
  for (std::size_t i = 0; i < ref.extent(0); ++i)
    for (std::size_t j = 0; j < ref.extent(1); ++j) mismatches += all(i, j) != ref(i, j);  // bitwise
  CHECK(mismatches == 0);
  CHECK(dist.series.at("step_size") == serial.series.at("step_size"));
  const auto other_seed = run_chains(self, mcmc::LocalMcmc::Kind::mala, t, deck, 12);
  auto o = Kokkos::create_mirror_view_and_copy(HostSpace(), other_seed.x);
  CHECK(o(0, 0) != ref(0, 0));
}
