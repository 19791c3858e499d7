// Non-finite values in flow_mcmc never propagate silently:
//  - the MH kernels (MALA and the flow's independence MH) reject every proposal whose x', U,
//    grad U or log q is not finite, including "attractive" ones a bare MH ratio would accept
//    (U = −∞, or a finite lower U with a NaN gradient), while still accepting good proposals;
//  - walkers that start at a non-finite energy are a NumericalError at step 0;
//  - chain states whose second moment overflows make the whitening fit a NumericalError
//    naming the training iteration, and the checkpoint written before it is kept;
//  - a NaN in the interpolant loss is a NumericalError naming the caller's context and leaves
//    the network unchanged.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>

#include "FpTraps.hpp"
#include "GaussianTestTarget.hpp"
#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Progress.hpp"
#include "boltzflow/io/H5Reader.hpp"
#include "boltzflow/samplers/Checkpoint.hpp"
#include "boltzflow/samplers/flow_mcmc/FlowMcmc.hpp"
#include "boltzflow/samplers/flow_mcmc/IndependenceMh.hpp"
#include "boltzflow/samplers/interpolant/InterpolantTrainer.hpp"
#include "boltzflow/samplers/interpolant/LikelihoodTrainer.hpp"
#include "boltzflow/samplers/mcmc/LocalKernels.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;

namespace {
// 1-D: U = x²/2 for x < 1; beyond the cliff x ≥ 1 one of three kinds of failure. A non-finite
// x gets U = 0, grad 0 (a target that does not look at its input's finiteness).
enum class Cliff { nan_energy, minus_infinity, nan_gradient };
struct CliffTarget : Target {
  Cliff kind;
  explicit CliffTarget(Cliff k) : kind(k) {}
  std::string name() const override { return "cliff"; }
  int dim() const override { return 1; }
  void gradient(const Particles& x, const Scalars& U, const Particles& g) const override {
    auto hx = Kokkos::create_mirror_view_and_copy(HostSpace(), x);
    auto hU = Kokkos::create_mirror_view(U);
    auto hg = Kokkos::create_mirror_view(g);
    const double nan = std::nan(""), inf = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < hx.extent(0); ++i) {
      const double v = hx(i, 0);
      hU(i) = 0.5 * v * v;
      hg(i, 0) = v;
      if (!std::isfinite(v)) {
        hU(i) = 0;
        hg(i, 0) = 0;
      } else if (v >= 1) {
        hU(i) = kind == Cliff::nan_energy ? nan : kind == Cliff::minus_infinity ? -inf : 0.5 * v * v - 10;
        hg(i, 0) = kind == Cliff::minus_infinity ? 0.0 : nan;
      }
    }
    Kokkos::deep_copy(U, hU);
    Kokkos::deep_copy(g, hg);
  }
  void energy(const Particles& x, const Scalars& U) const override {
    Particles g("g", x.extent(0), 1);
    gradient(x, U, g);
  }
  void laplacian(const Particles&, const Scalars&) const override {}
};

// Proposes the same point c for every chain and claims log q = lq there (and everywhere).
struct PointProposal : flow_mcmc::IndependenceProposal {
  double c, lq;
  PointProposal(double c_, double lq_) : c(c_), lq(lq_) {}
  int dim() const override { return 1; }
  void sample(std::uint64_t, std::uint64_t, std::uint32_t, const Particles& x, const Scalars& log_q) override {
    Kokkos::deep_copy(x, c);
    Kokkos::deep_copy(log_q, lq);
  }
  void log_density(const Particles&, const Scalars& log_q) override { Kokkos::deep_copy(log_q, lq); }
};

// Chains at x0 with consistent U, grad U.
mcmc::ChainState chains_at(const Target& t, std::size_t n, double x0) {
  mcmc::ChainState s("chains", n, 1);
  Kokkos::deep_copy(s.x, x0);
  t.gradient(s.x, s.U, s.grad);
  return s;
}

// Whether every chain's x, U and grad U are finite and x stays before the cliff.
bool all_good(const mcmc::ChainState& s) {
  auto x = Kokkos::create_mirror_view_and_copy(HostSpace(), s.x);
  auto U = Kokkos::create_mirror_view_and_copy(HostSpace(), s.U);
  auto g = Kokkos::create_mirror_view_and_copy(HostSpace(), s.grad);
  for (std::size_t i = 0; i < x.extent(0); ++i)
    if (!(x(i, 0) < 1) || !std::isfinite(U(i)) || !std::isfinite(g(i, 0))) return false;
  return true;
}

// One independence-MH move of 64 chains at x = 0 towards the point proposal; accepted count.
std::int64_t imh_accepted(Cliff kind, double c, double lq) {
  const CliffTarget t(kind);
  auto s = chains_at(t, 64, 0.0);
  Scalars log_q("log_q", 64);
  Kokkos::deep_copy(log_q, 0.0);
  PointProposal q(c, lq);
  flow_mcmc::IndependenceWorkspace w(64, 1);
  const auto acc = flow_mcmc::independence_mh_step(t, q, s, log_q, w, 3, 0, 1);
  CHECK(all_good(s));
  return acc;
}
}  // namespace

TEST_CASE("independence MH rejects non-finite proposals and accepts good ones", "[samplers][flow_mcmc]") {
  const double nan = std::nan("");
  for (auto kind : {Cliff::nan_energy, Cliff::minus_infinity, Cliff::nan_gradient}) {
    INFO("cliff kind " << int(kind));
    CHECK(imh_accepted(kind, 1.5, 0.0) == 0);  // beyond the cliff (−∞ or a lower U: a bare ratio accepts)
    CHECK(imh_accepted(kind, 0.5, nan) == 0);  // NaN log q of the proposal
    CHECK(imh_accepted(kind, nan, 0.0) == 0);  // a NaN point the target does not notice
    // The power check: a good proposal (α = e^{−1/8}) is accepted by most of the 64 chains.
    CHECK(imh_accepted(kind, 0.5, 0.0) > 40);
  }
}

TEST_CASE("MALA never moves a chain onto a non-finite energy or gradient", "[samplers][flow_mcmc]") {
  for (auto kind : {Cliff::nan_energy, Cliff::minus_infinity, Cliff::nan_gradient}) {
    INFO("cliff kind " << int(kind));
    const CliffTarget t(kind);
    auto s = chains_at(t, 64, 0.5);
    mcmc::Workspace w(64, 1);
    std::int64_t accepted = 0;
    for (std::uint32_t k = 1; k <= 200; ++k) accepted += mcmc::mala_step(t, s, w, 0.3, 11, 0, k);
    CHECK(all_good(s));
    CHECK(accepted > 64 * 200 / 4);  // the chains do move (√(2h) ≈ 0.8: many proposals cross the cliff)
  }
}

namespace {
// A flow_mcmc deck with checkpoints under `prefix` (every phase end).
config::Options deck(const std::string& text, const std::string& prefix) {
  config::po::options_description d;
  flow_mcmc::add_flow_mcmc_options(d);
  add_checkpoint_options(d);
  config::add_string(d, "output.prefix", "out", "output prefix");
  return config::Options::parse(d, text, {"--output.prefix=" + prefix});
}
std::string numerical_error(const Target& t, const config::Options& o) {
  Comm comm;
  const Checkpoints ck(comm, o);
  Progress progress(comm, true);
  RunContext ctx{comm, o, t, 5, progress, &ck};
  flow_mcmc::FlowMcmc sampler(o);
  try {
    sampler.run(ctx);
  } catch (const NumericalError& e) {
    return e.what();
  }
  return "no error";
}
const std::string small =
    "[flow_mcmc]\nwalkers = 16\nstart = list\nburnin = 3\nlocal_steps = 2\nglobal_steps = 1\ntraining_iterations = 2\n"
    "train_steps = 2\nproduction_iterations = 2\nwindow = 4\nbatch = 32\ntime_bins = 2\node_steps = 2\n"
    "[network]\nwidth = 4\ndepth = 1\n";
}  // namespace

TEST_CASE("flow_mcmc: walkers starting at a non-finite energy are a NumericalError at step 0", "[samplers][flow_mcmc]") {
  const CliffTarget t(Cliff::nan_energy);
  const auto msg = numerical_error(t, deck(small + "[flow_mcmc]\nstart_values = 0, 1.5\n", "fmcmc_nonfinite_start"));
  CHECK_THAT(msg, Catch::Contains("step 0") && Catch::Contains("8 walker(s)") && Catch::Contains("flow_mcmc.start"));
  std::remove("fmcmc_nonfinite_start_checkpoint.h5");
}

TEST_CASE("flow_mcmc: overflowing training data is a NumericalError naming the iteration; the checkpoint is kept",
          "[samplers][flow_mcmc]") {
  // A very broad Gaussian: U and grad U are finite at x₀ = ±1e160, but x₀² overflows.
  const GaussianTestTarget t({0.0, 0.0}, {1e200, 1.0});
  const std::string prefix = "fmcmc_nonfinite_train";
  const auto msg = numerical_error(t, deck(small + "[flow_mcmc]\nstart_values = -1e160, 0, 1e160, 0\n", prefix));
  CHECK_THAT(msg, Catch::Contains("flow_mcmc training iteration 0") && Catch::Contains("not finite"));
  const std::string path = prefix + "_checkpoint.h5";
  REQUIRE(std::ifstream(path).good());
  {
    Comm comm;
    io::H5Reader r(comm, path);
    CHECK(r.attribute_int64("/state", "rounds") == 3);  // the end of burn-in
  }
  std::remove(path.c_str());
}

namespace {
// One good step updates the network; a NaN data row then gives a NumericalError naming the
// context and the optimizer step, and leaves the network as it was.
void check_nan_step(interpolant::FlowTrainer& trainer, const nn::VelocityMlp<double>& field) {
  // Copies (a host mirror of a host View would alias it).
  const auto snapshot = [&]() {
    auto h = Kokkos::create_mirror(HostSpace(), field.params());
    Kokkos::deep_copy(h, field.params());
    return h;
  };
  Particles rows("rows", 8, 2);
  Kokkos::deep_copy(rows, 0.5);
  const auto before = snapshot();
  CHECK(std::isfinite(trainer.step(rows, 8, interpolant::slice_owner(0, 8), 1, "good data")));
  const testutil::FpTrapsOff nan_on_purpose;
  Kokkos::deep_copy(rows, std::nan(""));
  const auto after_good = snapshot();
  std::string msg = "no error";
  try {
    trainer.step(rows, 8, interpolant::slice_owner(0, 8), 2, "test iteration 7");
  } catch (const NumericalError& e) {
    msg = e.what();
  }
  CHECK_THAT(msg, Catch::Contains("test iteration 7") && Catch::Contains("optimizer step") &&
                      Catch::Contains(trainer.loss_name()));
  const auto after = snapshot();
  int changed = 0, unchanged_by_good = 0;
  for (std::size_t i = 0; i < after.extent(0); ++i) {
    changed += after(i) != after_good(i);
    unchanged_by_good += after_good(i) == before(i);
  }
  CHECK(changed == 0);
  CHECK(unchanged_by_good < int(after.extent(0)));  // the good step did update the network
}

nn::MlpShape tiny_shape() {
  nn::MlpShape shape;
  shape.dim = 2;
  shape.width = 4;
  shape.depth = 1;
  return shape;
}
}  // namespace

TEST_CASE("flow trainers: a NaN loss is a NumericalError naming the context; the network is unchanged",
          "[samplers][interpolant][likelihood]") {
  Comm comm;
  interpolant::MinibatchSpec batch;
  batch.batch = 16;
  batch.bins = 2;
  SECTION("interpolant loss") {
    nn::VelocityMlp<double> field(tiny_shape(), 3, false);
    interpolant::InterpolantTrainer trainer(comm, field, nn::AdamConfig{}, interpolant::InterpolantPath{}, batch, 1);
    check_nan_step(trainer, field);
  }
  SECTION("maximum likelihood") {
    interpolant::WhitenedCnf cnf(std::make_unique<nn::VelocityMlp<double>>(tiny_shape(), 3, false), ode::FlowSpec{});
    interpolant::LikelihoodTrainer trainer(comm, cnf, nn::AdamConfig{}, batch, 1);
    check_nan_step(trainer, cnf.field());
  }
}

