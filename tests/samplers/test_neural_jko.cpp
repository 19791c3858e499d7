// The neural JKO sampler end to end: the CNF adapter inside the model (pull-back density vs
// tracked energies, unit mass), and tiny full runs (bit-identical for the same seed and rank
// count; 1 vs 2 ranks agree to rounding).
#include <cmath>
#include <string>
#include <vector>

#include "GaussianTestTarget.hpp"
#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Progress.hpp"
#include "boltzflow/metrics/Weights.hpp"
#include "boltzflow/nn/NetworkFactory.hpp"
#include "boltzflow/samplers/cnf/CnfBlock.hpp"
#include "boltzflow/samplers/neural_jko/CnfTransport.hpp"
#include "boltzflow/samplers/neural_jko/Model.hpp"
#include "boltzflow/samplers/neural_jko/NeuralJko.hpp"
#include "boltzflow/samplers/neural_jko/RejectionConstant.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;
using namespace boltzflow::neural_jko;

namespace {

// A random (not zero-initialised) velocity MLP: a genuinely non-trivial flow.
cnf::CnfBlock random_block(int d, std::uint64_t seed, int steps) {
  nn::NetworkConfig net;
  net.shape.width = 12;
  net.shape.depth = 2;
  net.shape.activation = nn::Activation::tanh;
  net.init_seed = seed;
  ode::FlowSpec flow;
  flow.steps = steps;
  return cnf::make_mlp_block(net, d, flow);
}

config::Options jko_options(const std::string& deck) {
  config::po::options_description d;
  add_neural_jko_options(d);
  cnf::add_memory_budget_option(d);
  return config::Options::parse(d, deck, {});
}

SampleSet run_jko(const Comm& comm, const Target& t, const std::string& deck, std::uint64_t seed) {
  const auto opts = jko_options(deck);
  NeuralJko sampler(opts);
  Progress progress(comm, true);
  RunContext ctx{comm, opts, t, seed, progress};
  return sampler.run(ctx);
}

const char* tiny_deck =
    "[neural_jko]\nn_flow = 1\nn_rej = 1\nrejections_per_block = 2\ntau0 = 0.5\ntau_base = 2\n"
    "dataset = 3000\niterations = 40\nbatch = 600\nlr = 0.01\nwidth = 16\ndepth = 2\node_steps = 3\n"
    "stack_size = 700\neval_batch = 512\nsamples = 4000\nprint_every = 0\n";

std::vector<double> flat(const Comm& comm, const SampleSet& s) {
  auto x = comm.allgather_rows(Kokkos::create_mirror_view_and_copy(HostSpace(), s.x));
  HostParticles lq_local("lq", s.log_q.extent(0), 1);
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), s.log_q);
  for (std::size_t i = 0; i < h.extent(0); ++i) lq_local(i, 0) = h(i);
  auto lq = comm.allgather_rows(lq_local);
  std::vector<double> v(x.data(), x.data() + x.span());
  v.insert(v.end(), lq.data(), lq.data() + lq.span());
  return v;
}

metrics::WeightSummary weights(const Comm& comm, const SampleSet& s) {
  Scalars lw("lw", s.x.extent(0));
  const auto U = s.U, lq = s.log_q;
  Kokkos::parallel_for(
      "test::lw", Kokkos::RangePolicy<ExecSpace>(0, lw.extent(0)), KOKKOS_LAMBDA(const int i) { lw(i) = -U(i) - lq(i); });
  return metrics::weight_summary(comm, lw);
}

}  // namespace

TEST_CASE("nJKO: CNF steps in the model keep exact densities (unit mass, pull-back = tracked)", "[samplers][neural_jko]") {
  Comm comm(MPI_COMM_SELF);
  GaussianTestTarget t({0.5, -0.3}, {0.8, 1.3});
  ModelConfig mc;
  mc.stack_size = 500;
  mc.eval_batch = 300;
  Model m(comm, t, 3, mc);
  m.add_transport(std::make_shared<CnfTransport>(random_block(2, 7, 6), cnf::MemoryBudget{}));
  {  // a rejection step between the CNFs, fitted on a dataset
    Batch data = m.sample(4000);
    Scalars U("U", data.size()), lambda("lambda", data.size());
    log_ratio(t, data, U, lambda);
    const auto fit = fit_log_c(comm, lambda, 0.2);
    m.reject(data, U, lambda, {fit.log_c, fit.rate});
    m.add_rejection({fit.log_c, fit.rate});
  }
  m.add_transport(std::make_shared<CnfTransport>(random_block(2, 8, 6), cnf::MemoryBudget{}));

  Batch s = m.sample(3000);
  Scalars e("e", s.size());
  m.energy(s.x, e);
  auto he = Kokkos::create_mirror_view_and_copy(HostSpace(), e);
  auto hs = Kokkos::create_mirror_view_and_copy(HostSpace(), s.e);
  double max_err = 0, spread = 0;
  for (std::int64_t i = 0; i < s.size(); ++i) {
    max_err = std::max(max_err, std::abs(he(i) - hs(i)));
    spread = std::max(spread, std::abs(hs(i)));
  }
  // The pull-back re-integrates the same RK scheme backwards: equal to O(h^4).
  CHECK(max_err < 1e-5);
  CHECK(spread > 1.0);

  // exp(−e) of the model at a 2-D grid integrates to 1 (a sign error in ℓ would not).
  const int G = 241;
  const double lo = -7, hi = 7, h = (hi - lo) / (G - 1);
  Particles grid("grid", G * G, 2);
  auto hg = Kokkos::create_mirror_view(grid);
  for (int a = 0; a < G; ++a)
    for (int b = 0; b < G; ++b) {
      hg(a * G + b, 0) = lo + a * h;
      hg(a * G + b, 1) = lo + b * h;
    }
  Kokkos::deep_copy(grid, hg);
  Scalars eg("eg", G * G);
  m.energy(grid, eg);
  auto heg = Kokkos::create_mirror_view_and_copy(HostSpace(), eg);
  double mass = 0;
  for (int k = 0; k < G * G; ++k) mass += std::exp(-heg(k)) * h * h;
  // The only non-unit factor is 1 − r + r̂ of the rejection step (4000 fit samples).
  CHECK(std::abs(mass - 1.0) < 0.03);
  CHECK(m.nfe() > 0);
}

// (x, e) of a distributed batch gathered in global row order.
std::vector<double> gathered(const Comm& comm, const Batch& b) {
  HostParticles local("local", b.size(), b.x.extent(1) + 1);
  auto hx = Kokkos::create_mirror_view_and_copy(HostSpace(), b.x);
  auto he = Kokkos::create_mirror_view_and_copy(HostSpace(), b.e);
  for (std::int64_t i = 0; i < b.size(); ++i) {
    for (std::size_t j = 0; j < hx.extent(1); ++j) local(i, j) = hx(i, j);
    local(i, hx.extent(1)) = he(i);
  }
  const auto all = comm.allgather_rows(local);
  return std::vector<double>(all.data(), all.data() + all.span());
}

TEST_CASE("nJKO model: samples bit-identical for 1 and 2 ranks; restart_streams drops all epoch state",
          "[samplers][neural_jko][mpi]") {
  Comm comm, self(MPI_COMM_SELF);
  GaussianTestTarget t({0.5, -0.3}, {0.8, 1.3});
  ModelConfig mc;
  mc.stack_size = 700;  // several stacks and leftovers per prefix
  mc.eval_batch = 256;
  // CNF, two rejection steps, CNF, and a rejection step fitted later (fixed constants: the fit's
  // reduction order would differ with the rank count, the sampling must not).
  const RejectionParams p1{0.4, 0.25}, p2{-0.2, 0.3}, p3{0.1, 0.2};
  const auto build = [&](const Comm& c) {
    auto m = std::make_unique<Model>(c, t, 17, mc);
    m->add_transport(std::make_shared<CnfTransport>(random_block(2, 7, 4), cnf::MemoryBudget{}));
    m->add_rejection(p1);
    m->add_rejection(p2);
    m->add_transport(std::make_shared<CnfTransport>(random_block(2, 8, 4), cnf::MemoryBudget{}));
    return m;
  };
  // Per communicator: an epoch with a dataset rejection (Model::reject) and two draws, then a
  // new epoch with one draw.
  const auto outputs = [&](const Comm& c, Model& m) {
    std::vector<std::vector<double>> out;
    m.restart_streams(1);
    Batch data = m.sample(Decomposition::even(c, 2001).local);
    Scalars U("U", data.size()), lambda("lambda", data.size());
    log_ratio(t, data, U, lambda);
    m.reject(data, U, lambda, p3);
    m.add_rejection(p3);
    out.push_back(gathered(c, data));
    out.push_back(gathered(c, m.sample(Decomposition::even(c, 1500).local)));
    out.push_back(gathered(c, m.sample(Decomposition::even(c, 333).local, 3)));  // a prefix
    m.restart_streams(2);
    out.push_back(gathered(c, m.sample(Decomposition::even(c, 2500).local)));
    return out;
  };
  auto md = build(comm);
  auto ms = build(self);
  const auto od = outputs(comm, *md);
  const auto os = outputs(self, *ms);
  REQUIRE(od.size() == os.size());
  for (std::size_t k = 0; k < od.size(); ++k) {
    CHECK(od[k].size() == os[k].size());
    CHECK(od[k] == os[k]);
  }
  CHECK(od[1] != od[3]);  // a new epoch draws new numbers
  // A fresh model restarted at epoch 2 draws what the used one drew there (buffers dropped).
  auto fresh = build(comm);
  fresh->add_rejection(p3);
  fresh->restart_streams(2);
  CHECK(gathered(comm, fresh->sample(Decomposition::even(comm, 2500).local)) == od[3]);
}

TEST_CASE("nJKO tiny run: bit-identical for the same seed, exact densities, improves the ELBO", "[samplers][neural_jko]") {
  Comm comm;
  GaussianTestTarget t({1.0, -0.5}, {0.5, 1.2});
  const auto a = run_jko(comm, t, tiny_deck, 4);
  const auto b = run_jko(comm, t, tiny_deck, 4);
  const auto c = run_jko(comm, t, tiny_deck, 5);
  CHECK(flat(comm, a) == flat(comm, b));
  CHECK(flat(comm, a) != flat(comm, c));
  CHECK(a.series.at("rejection_log_c") == b.series.at("rejection_log_c"));
  REQUIRE(a.series.at("rejection_r_hat").size() == 2);
  for (double r : a.series.at("rejection_r_hat")) CHECK(std::abs(r - 0.2) < 1e-4);
  CHECK(a.scalars.at("cnf_steps") == 2);
  CHECK(a.scalars.at("rejection_steps") == 2);
  CHECK(a.has_log_q);
  // U = Σ_j (x_j − μ_j)²/(2 s_j²), so log Z = Σ_j log(√(2π) s_j). ELBO ≤ log Z up to
  // Monte-Carlo error, and training + rejection beat the latent N(0, I), whose ELBO is
  // log Z − KL(N(0,I) ‖ target) ≈ log Z − 1.5.
  double log_z = 0;
  for (double sj : t.s) log_z += std::log(std::sqrt(2 * M_PI) * sj);
  const auto w = weights(comm, a);
  CHECK(w.elbo < log_z + 0.02);
  CHECK(w.elbo > log_z - 0.6);
  CHECK(std::abs(a.scalars.at("log_z_elbo") - w.elbo) < 1e-12);
  CHECK(a.scalars.at("latent_draws_per_sample") > 1.2);
  // The output's log_density (the report's EUBO), evaluated after the sampler is gone, is the
  // tracked log q at the samples: pull-back through the CNF and the rejection steps.
  REQUIRE(a.log_density);
  Scalars lq_at("lq_at", a.x.extent(0));
  a.log_density(a.x, lq_at);
  auto h_at = Kokkos::create_mirror_view_and_copy(HostSpace(), lq_at);
  auto h_lq = Kokkos::create_mirror_view_and_copy(HostSpace(), a.log_q);
  double dmax = 0;
  for (std::size_t i = 0; i < h_at.extent(0); ++i) dmax = std::max(dmax, std::abs(h_at(i) - h_lq(i)));
  INFO("max |log q(at samples) - tracked log q| = " << dmax);
  CHECK(dmax < 1e-6);
}

TEST_CASE("nJKO tiny run: 1 and 2 ranks give the same samples to rounding", "[samplers][neural_jko][mpi]") {
  Comm comm;
  GaussianTestTarget t({1.0, -0.5}, {0.5, 1.2});
  const auto dist = run_jko(comm, t, tiny_deck, 9);
  Comm self(MPI_COMM_SELF);
  const auto serial = run_jko(self, t, tiny_deck, 9);
  // Every random number is keyed by a global stream index, so the runs draw the same numbers;
  // only the order of the MPI sums (gradients, loss, the mean rejection rate in the bisection
  // for c) differs, which perturbs the trained networks and log c at the rounding level.
  const auto a = flat(comm, dist), b = flat(self, serial);
  REQUIRE(a.size() == b.size());
  double max_diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) max_diff = std::max(max_diff, std::abs(a[i] - b[i]));
  INFO("max |1 rank - " << comm.size() << " ranks| over x and log q: " << max_diff);  // 2.7e-15 when written
  CHECK(max_diff < 1e-9);
  const auto& lc_d = dist.series.at("rejection_log_c");
  const auto& lc_s = serial.series.at("rejection_log_c");
  REQUIRE(lc_d.size() == lc_s.size());
  for (std::size_t i = 0; i < lc_d.size(); ++i) CHECK(std::abs(lc_d[i] - lc_s[i]) < 1e-9);
  CHECK(dist.scalars.at("latent_draws_per_sample") == serial.scalars.at("latent_draws_per_sample"));
}
