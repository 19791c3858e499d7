// End-to-end flow-assisted MCMC (samplers/flow_mcmc/FlowMcmc) on a 2-D two-mode mixture
// 0.3 N((−3,0), 0.6²I) + 0.7 N((3,0), 0.6²I) with the walkers started half in each mode:
// MALA cannot cross the barrier (≈ 12 nats), so MALA alone keeps the start weights ½, ½,
// while the flow moves walkers between the modes and recovers 0.3 / 0.7. The run is
// bit-identical for the same seed and rank count; 1 and 2 ranks agree within Monte-Carlo error.
#include <cmath>

#include "boltzflow/core/Progress.hpp"
#include "boltzflow/metrics/Modes.hpp"
#include "boltzflow/samplers/flow_mcmc/FlowMcmc.hpp"
#include "boltzflow/targets/GaussianMixture.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;

namespace {
const std::string deck =
    "[flow_mcmc]\nwalkers = 64\nstart = list\nstart_values = -3, 0, 3, 0\nburnin = 50\nstep_size = 0.1\n"
    "local_steps = 5\nglobal_steps = 3\ntraining_iterations = 15\ntrain_steps = 30\nproduction_iterations = 40\n"
    "window = 30\nbatch = 256\ntime_bins = 8\node_steps = 6\nlr = 0.003\nis_samples = 2000\n"
    "[network]\nwidth = 32\ndepth = 2\n";

GaussianMixture two_modes() { return GaussianMixture::isotropic("two_modes", 2, {0.3, 0.7}, {-3, 0, 3, 0}, {0.6}); }

SampleSet run(const Comm& comm, const Target& t, const std::string& extra, std::uint64_t seed) {
  config::po::options_description d;
  flow_mcmc::add_flow_mcmc_options(d);
  const auto opts = config::Options::parse(d, deck, {extra});
  flow_mcmc::FlowMcmc sampler(opts);
  Progress progress(comm, true);
  RunContext ctx{comm, opts, t, seed, progress};
  return sampler.run(ctx);
}

// Element-wise identical, NaN (the production-phase loss) equal to NaN.
bool same(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  return true;
}

double weight_of_mode1(const Comm& comm, const Target& t, const SampleSet& s) {
  Vector<int> labels("labels", s.x.extent(0));
  t.assign_modes(s.x, labels);
  return metrics::mode_weights(comm, labels, 2)[1];
}
}  // namespace

TEST_CASE("flow_mcmc recovers mode weights that MALA alone cannot", "[samplers][flow_mcmc]") {
  Comm comm;
  const auto t = two_modes();
  const auto flow = run(comm, t, "--flow_mcmc.global_steps=3", 5);
  const auto mala = run(comm, t, "--flow_mcmc.global_steps=0", 5);
  const double w_flow = weight_of_mode1(comm, t, flow), w_mala = weight_of_mode1(comm, t, mala);
  INFO("mode-1 weight: flow_mcmc " << w_flow << " (exact 0.7), MALA alone " << w_mala << "; global acceptance "
                                   << flow.scalars.at("global_acceptance_production"));
  // 64 walkers × 40 records, nearly independent per iteration at this acceptance: σ ≈ 0.013.
  CHECK(std::abs(w_flow - 0.7) < 0.08);
  CHECK(w_mala == 0.5);  // every MALA walker stays in its start mode
  CHECK(mala.scalars.at("mode_switches_production") == 0);
  CHECK(flow.scalars.at("mode_switches_production") > 100);
  CHECK(flow.scalars.at("global_acceptance_production") > 0.2);
  CHECK(flow.scalars.at("flow_jump_fraction_production") > 0.9);
  // The flow's own importance-sampling estimate of log Z (= 0 for this normalised mixture).
  CHECK(std::abs(flow.scalars.at("flow_is_log_z")) < 0.1);
  // Phases are separate in the series.
  const auto& phase = flow.series.at("phase");
  REQUIRE(phase.size() == 55);
  CHECK(phase[14] == 0);
  CHECK(phase[15] == 1);
  CHECK(std::isnan(flow.series.at("loss")[20]));
  CHECK(std::isfinite(flow.series.at("loss")[3]));
}

TEST_CASE("flow_mcmc with the full-covariance whitening also recovers the mode weights", "[samplers][flow_mcmc]") {
  Comm comm;
  const auto t = two_modes();
  const auto flow = run(comm, t, "--flow_mcmc.whitening=full", 5);
  const double w = weight_of_mode1(comm, t, flow);
  INFO("mode-1 weight " << w << " (exact 0.7), global acceptance " << flow.scalars.at("global_acceptance_production")
                        << ", IS log Z " << flow.scalars.at("flow_is_log_z"));
  CHECK(std::abs(w - 0.7) < 0.08);
  CHECK(flow.scalars.at("mode_switches_production") > 100);
  CHECK(flow.scalars.at("global_acceptance_production") > 0.2);
  // log q includes log det L of the full factor: the IS estimate of log Z = 0 checks it.
  CHECK(std::abs(flow.scalars.at("flow_is_log_z")) < 0.1);
}

TEST_CASE("flow_mcmc trained by maximum likelihood also recovers the mode weights", "[samplers][flow_mcmc][likelihood]") {
  Comm comm;
  const auto t = two_modes();
  const auto flow = run(comm, t, "--flow_mcmc.loss=likelihood", 5);
  const double w = weight_of_mode1(comm, t, flow);
  const auto& loss = flow.series.at("loss");
  INFO("mode-1 weight " << w << " (exact 0.7), global acceptance " << flow.scalars.at("global_acceptance_production")
                        << ", NLL first " << loss[0] << " last training " << loss[14]);
  CHECK(std::abs(w - 0.7) < 0.08);
  CHECK(flow.scalars.at("global_acceptance_production") > 0.2);
  CHECK(std::abs(flow.scalars.at("flow_is_log_z")) < 0.1);
  // The loss is −mean log q of the window: it starts near the whitened Gaussian's NLL of a
  // bimodal set and ends near the mixture's entropy (≈ 2.0 nats here: two 0.6-wide modes).
  CHECK(loss[14] < loss[0] - 0.3);
  CHECK(loss[14] > 1.0);
}

TEST_CASE("flow_mcmc: bit-identical for a seed and rank count; 1 vs 2 ranks agree statistically",
          "[samplers][flow_mcmc][mpi]") {
  Comm comm;
  const auto t = two_modes();
  const std::string shorter = "--flow_mcmc.production_iterations=30";
  const auto a = run(comm, t, shorter, 9), b = run(comm, t, shorter, 9);
  auto ha = Kokkos::create_mirror_view_and_copy(HostSpace(), a.x);
  auto hb = Kokkos::create_mirror_view_and_copy(HostSpace(), b.x);
  int mismatches = 0;
  for (std::size_t i = 0; i < ha.extent(0); ++i)
    for (int j = 0; j < 2; ++j) mismatches += ha(i, j) != hb(i, j);
  CHECK(mismatches == 0);
  CHECK(same(a.series.at("loss"), b.series.at("loss")));
  CHECK(same(a.series.at("global_acceptance"), b.series.at("global_acceptance")));

  const Comm self(MPI_COMM_SELF);
  const auto serial = run(self, t, shorter, 9);
  const double w_dist = weight_of_mode1(comm, t, a), w_ser = weight_of_mode1(self, t, serial);
  const double g_dist = a.scalars.at("global_acceptance_production");
  const double g_ser = serial.scalars.at("global_acceptance_production");
  INFO("ranks " << comm.size() << ": weight " << w_dist << " vs 1 rank " << w_ser << "; acceptance " << g_dist
                << " vs " << g_ser);
  // Gradient sums in another order change the network in the last bits, so trajectories may
  // part; the statistics must agree within Monte-Carlo error (2 × 0.013 for the weights, 6σ).
  CHECK(std::abs(w_dist - w_ser) < 0.08);
  CHECK(std::abs(g_dist - g_ser) < 0.08);
  CHECK(std::abs(a.series.at("loss")[0] - serial.series.at("loss")[0]) < 1e-10);
}

TEST_CASE("flow_mcmc: bad deck values are InputErrors naming the key", "[samplers][flow_mcmc]") {
  Comm comm;
  const auto t = two_modes();
  const auto message = [&](const std::string& extra) {
    try {
      run(comm, t, extra, 1);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(message("--flow_mcmc.start_values=1,2,3"), Catch::Contains("flow_mcmc.start_values"));
  CHECK_THAT(message("--flow_mcmc.train_steps=0"), Catch::Contains("flow_mcmc.train_steps"));
  CHECK_THAT(message("--flow_mcmc.noise=sqrt"), Catch::Contains("flow_mcmc.t_min"));
  CHECK_THAT(message("--flow_mcmc.start=file"), Catch::Contains("flow_mcmc.start_file"));
  CHECK_THAT(message("--flow_mcmc.loss=kl"), Catch::Contains("flow_mcmc.loss"));
}
