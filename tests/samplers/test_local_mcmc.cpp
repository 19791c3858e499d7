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

#include "boltzflow/metrics/Modes.hpp"
#include "boltzflow/targets/GaussianMixture.hpp"

TEST_CASE("MALA end to end: mode weights of a 2-D mixture", "[samplers][mcmc][mpi]") {
  // 0.3 N((−1.5, 0), I) + 0.7 N((1.5, 0), I): overlapping modes that Langevin chains cross.
  // 3000 chains run long enough to forget their start; their final states are then nearly
  // independent draws, so the sampled weight of mode 0 is Binomial(3000, 0.3)/3000 up to a
  // small residual bias: tolerance 5σ = 5·√(0.3·0.7/3000) ≈ 0.042.
  Comm comm;
  const auto t = GaussianMixture::isotropic("gmm", 2, {0.3, 0.7}, {-1.5, 0, 1.5, 0}, {1.0});
  const std::string deck = "[mcmc]\nchains = 3000\nwarmup = 200\nsteps = 400\ninit_scale = 2\nrecord_every = 0\n";
  const auto s = run_chains(comm, mcmc::LocalMcmc::Kind::mala, t, deck, 21);
  Vector<int> lab("lab", s.x.extent(0));
  t.assign_modes(s.x, lab);
  const auto w = metrics::mode_weights(comm, lab, 2);
  // Exact mass of each argmax region: P(component-likelihood argmax = k) is not π_k in general,
  // so compare with the same assignment applied to exact samples (large reference set).
  const int n_ref = 200000;
  Particles ref("ref", n_ref, 2);
  t.sample(99, 0, ref);
  Vector<int> ref_lab("ref_lab", n_ref);
  t.assign_modes(ref, ref_lab);
  Comm self(MPI_COMM_SELF);
  const auto w_ref = metrics::mode_weights(self, ref_lab, 2);
  const double tol = 5 * std::sqrt(w_ref[0] * (1 - w_ref[0]) / 3000) + 5 * std::sqrt(w_ref[0] * (1 - w_ref[0]) / n_ref);
  CHECK(std::abs(w[0] - w_ref[0]) < tol);
  CHECK(w[0] + w[1] == Approx(1.0));
}
