// Tests of the Annealing Flow sampler: schedules (reference tables), annealed energies (finite
// differences), deck validation, importance resampling, and a tiny 2-D run end to end
// (reproducibility, rank-count independence, mode weights, HDF5 extras).
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Progress.hpp"
#include "boltzflow/io/H5Reader.hpp"
#include "boltzflow/io/H5Writer.hpp"
#include "boltzflow/metrics/Modes.hpp"
#include "boltzflow/metrics/Weights.hpp"
#include "boltzflow/samplers/annealing_flow/AnnealedEnergy.hpp"
#include "boltzflow/samplers/annealing_flow/AnnealingFlow.hpp"
#include "boltzflow/samplers/annealing_flow/Langevin.hpp"
#include "boltzflow/samplers/annealing_flow/Resampling.hpp"
#include "boltzflow/targets/GaussianMixture.hpp"
#include "boltzflow/samplers/cnf/MicroBatch.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;
using namespace boltzflow::annealing_flow;

namespace {

config::Options af_options(const std::string& deck) {
  config::po::options_description d;
  add_annealing_flow_options(d);
  cnf::add_memory_budget_option(d);
  return config::Options::parse(d, deck, {});
}

// prefix: stream the trajectories to <prefix>_trajectories.h5 (empty: none stored).
SampleSet run_af(const Comm& comm, const Target& t, const std::string& deck, std::uint64_t seed,
                 AnnealingFlow* keep = nullptr, const std::string& prefix = "") {
  const auto opts = af_options(deck);
  AnnealingFlow local(opts);
  Progress quiet(comm, true);
  RunContext ctx{comm, opts, t, seed, quiet};
  if (!prefix.empty()) ctx.open_trajectories = trajectory_opener(comm, prefix, 1);
  return (keep ? *keep : local).run(ctx);
}

HostParticles gather(const Comm& comm, const Particles& x) {
  return comm.allgather_rows(Kokkos::create_mirror_view_and_copy(HostSpace(), x));
}
HostParticles gather(const Comm& comm, const Scalars& v) {
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), v);
  HostParticles m("col", h.extent(0), 1);
  for (std::size_t i = 0; i < h.extent(0); ++i) m(i, 0) = h(i);
  return comm.allgather_rows(m);
}

// 0.25 N((−2.5, 0), I) + 0.75 N((2.5, 0), I): two modes that annealing from N(0, I) must split.
GaussianMixture two_modes() { return GaussianMixture::isotropic("gmm", 2, {0.25, 0.75}, {-2.5, 0, 2.5, 0}, {1.0}); }

const std::string tiny_deck =
    "[annealing_flow]\nblocks = 3\nanneal_blocks = 2\nparticles = 800\nbatch = 100\niterations = 100\nwidth = 16\n"
    "lr = 5e-3\nsamples = 1500\ntrajectories = 5\nprint_every = 0\nresample = true\n";

}  // namespace

TEST_CASE("annealing_flow with a small run.memory_budget: micro-batches, same samples to rounding", "[samplers][annealing_flow]") {
  const Comm self(MPI_COMM_SELF);
  const auto t = two_modes();
  const auto whole = run_af(self, t, tiny_deck, 3);
  // 16 KiB: a few rows per taped solve, so every minibatch (100 rows) and push is split.
  const auto split = run_af(self, t, tiny_deck + "[run]\nmemory_budget = 0.015625\n", 3);
  const double rows_train = split.scalars.at("micro_batch_train"), rows_push = split.scalars.at("micro_batch_push");
  INFO("rows per solve: training " << rows_train << " (unsplit " << whole.scalars.at("micro_batch_train") << "), push "
                                   << rows_push);
  CHECK(rows_train > 1);
  CHECK(rows_train < 100);
  CHECK(rows_push < 800);
  CHECK(whole.scalars.at("micro_batch_train") >= 100);
  // Only the order of the per-micro-batch sums differs (loss and gradient), and Adam carries that
  // rounding through 300 steps: agreement far below any statistical tolerance, not bit for bit.
  auto a = Kokkos::create_mirror_view_and_copy(HostSpace(), whole.x), b = Kokkos::create_mirror_view_and_copy(HostSpace(), split.x);
  auto qa = Kokkos::create_mirror_view_and_copy(HostSpace(), whole.log_q), qb = Kokkos::create_mirror_view_and_copy(HostSpace(), split.log_q);
  double dx = 0, dq = 0;
  for (std::size_t i = 0; i < a.extent(0); ++i) {
    dx = std::max({dx, std::abs(a(i, 0) - b(i, 0)), std::abs(a(i, 1) - b(i, 1))});
    dq = std::max(dq, std::abs(qa(i) - qb(i)));
  }
  INFO("max |dx| = " << dx << ", max |d log q| = " << dq);
  CHECK(dx < 1e-6);
  CHECK(dq < 1e-6);
}

TEST_CASE("annealing_flow schedules follow the reference tables", "[samplers][annealing_flow]") {
  Schedule s;  // defaults: GMM ring K = 8, c = 10
  CHECK(s.blocks == 12);
  CHECK(s.beta(1) == Approx(0.1));
  CHECK(s.beta(10) == 1.0);
  CHECK(s.beta(12) == 1.0);
  CHECK(s.delta_k(8) == 0.05);
  CHECK(s.delta_k(9) == 0.10);
  CHECK(s.gamma(1, 2) == Approx(1.0 / (9 * 2 * 0.05)));
  s.inverse_delta = true;
  CHECK(s.gamma(12, 2) == Approx(10.0));
  // methods.md §1.4, 2-D, c1 = 6: (1,5) (2,10) (3,15) (4,20) (5,25) (6,30) (6.1,35), then (6.1,35).
  const double c2[] = {1, 2, 3, 4, 5, 6, 6.1, 6.1, 6.1}, p2[] = {5, 10, 15, 20, 25, 30, 35, 35, 35};
  for (int k = 1; k <= 9; ++k) {
    const auto [c, p] = truncation_relaxation(k, 6.0, 2);
    CHECK(c == Approx(c2[k - 1]));
    CHECK(p == p2[k - 1]);
  }
  // d > 3 with Python floor division: k = 1 → (1//2 + 1, 15 + (5·(−3))//2) = (1, 7); k = 5 → (3, 17).
  CHECK(truncation_relaxation(1, 6.0, 5).second == 7.0);
  CHECK(truncation_relaxation(1, 6.0, 5).first == 1.0);
  CHECK(truncation_relaxation(5, 6.0, 5).first == 3.0);
  CHECK(truncation_relaxation(5, 6.0, 5).second == 17.0);
  CHECK(truncation_relaxation(13, 6.0, 5).second == 25.0);
  CHECK(truncation_relaxation(15, 6.0, 5).second == 30.0);
}

TEST_CASE("annealing_flow block energies: gradients match finite differences", "[samplers][annealing_flow]") {
  const auto t = two_modes();
  const int n = 7, d = 2;
  Particles x("x", n, d);
  auto hx = Kokkos::create_mirror_view(x);
  for (int i = 0; i < n; ++i) {
    hx(i, 0) = -3.0 + 1.1 * i;
    hx(i, 1) = 0.7 - 0.3 * i;
  }
  Kokkos::deep_copy(x, hx);
  for (int which = 0; which < 2; ++which) {
    const auto E = which == 0 ? geometric_energy(t, 0.4) : truncation_energy(2.0, 10.0);
    Scalars e("e", n), ep("ep", n), em("em", n);
    Particles g("g", n, d), scratch("s", n, d), xp("xp", n, d);
    E(x, e, g);
    auto hg = Kokkos::create_mirror_view_and_copy(HostSpace(), g);
    double worst = 0;
    for (int j = 0; j < d; ++j) {
      const double h = 1e-6;
      auto hp = Kokkos::create_mirror_view(xp);
      Kokkos::deep_copy(hp, hx);
      for (int i = 0; i < n; ++i) hp(i, j) += h;
      Kokkos::deep_copy(xp, hp);
      E(xp, ep, scratch);
      for (int i = 0; i < n; ++i) hp(i, j) -= 2 * h;
      Kokkos::deep_copy(xp, hp);
      E(xp, em, scratch);
      auto a = Kokkos::create_mirror_view_and_copy(HostSpace(), ep), b = Kokkos::create_mirror_view_and_copy(HostSpace(), em);
      for (int i = 0; i < n; ++i) worst = std::max(worst, std::abs((a(i) - b(i)) / (2 * h) - hg(i, j)) / (1 + std::abs(hg(i, j))));
    }
    INFO("energy " << which << ": worst gradient error " << worst);
    CHECK(worst < 1e-6);
  }
  // Geometric energy at β = 0 is ‖x‖²/2 exactly, whatever the target.
  Scalars e0("e0", n);
  Particles g0("g0", n, d);
  geometric_energy(t, 0.0)(x, e0, g0);
  auto h0 = Kokkos::create_mirror_view_and_copy(HostSpace(), e0);
  CHECK(h0(2) == Approx(0.5 * (hx(2, 0) * hx(2, 0) + hx(2, 1) * hx(2, 1))));
}

TEST_CASE("annealing_flow deck: bad values are InputErrors naming the key", "[samplers][annealing_flow]") {
  CHECK_THROWS_WITH(af_config(af_options("[annealing_flow]\nblocks = 5\nanneal_blocks = 8\n")),
                    Catch::Contains("annealing_flow.anneal_blocks"));
  CHECK_THROWS_WITH(af_options("[annealing_flow]\nsteps = 0\n"), Catch::Contains("annealing_flow.steps"));
  CHECK_THROWS_WITH(af_options("[annealing_flow]\ndivergence = fd\n"), Catch::Contains("annealing_flow.divergence"));
  CHECK_THROWS_WITH(af_config(af_options("[annealing_flow]\nsamples = 10\ntrajectories = 20\n")),
                    Catch::Contains("annealing_flow.trajectories"));
  const auto c = af_config(af_options(""));  // reference defaults
  CHECK(c.flow.steps == 3);
  CHECK(c.flow.scheme == ode::Scheme::rk4_38);
  CHECK(c.train.batch == 1000);
  CHECK(c.train.iterations == 1000);
  CHECK(c.particles == 100000);
  CHECK(c.train.adam.lr == 1e-4);
  CHECK(c.train.adam.clip_norm == 1.0);
  CHECK(c.network.shape.width == 32);
  CHECK(c.network.shape.depth == 2);
  CHECK(c.network.shape.softplus_beta == 20.0);
  CHECK(c.langevin_steps == 0);
}

TEST_CASE("annealing_flow ULA correction keeps its Gaussian fixed point", "[samplers][annealing_flow]") {
  // For E = ‖x‖²/2 the ULA chain x ← (1 − η)x + √(2η)ξ has the stationary law N(0, 1/(1 − η/2)),
  // so starting there the variance stays 1/(1 − η/2) (closed form, not the target's 1).
  const auto t = two_modes();
  const int n = 20000, d = 2;
  const double eta = 0.2, var = 1.0 / (1.0 - eta / 2);
  Particles x("x", n, d);
  cnf::GaussianBase base;
  base.scale = std::sqrt(var);
  base.sample(4, Stream::init_particles, 0, 0, x);
  langevin_steps(geometric_energy(t, 0.0), x, 0, 30, eta, 9, 1);
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), x);
  for (int j = 0; j < d; ++j) {
    double m = 0, v = 0;
    for (int i = 0; i < n; ++i) m += h(i, j) / n;
    for (int i = 0; i < n; ++i) v += (h(i, j) - m) * (h(i, j) - m) / n;
    CHECK(std::abs(m) < 5 * std::sqrt(var / n));
    CHECK(std::abs(v - var) < 5 * var * std::sqrt(2.0 / n));
  }
}

TEST_CASE("annealing_flow importance resampling keeps N·w_i copies (systematic)", "[samplers][annealing_flow][mpi]") {
  Comm comm;
  Comm self(MPI_COMM_SELF);
  const std::int64_t N = 40;
  auto run = [&](const Comm& c) {
    const auto dec = Decomposition::even(c, N);
    Particles x("x", dec.local, 1);
    Scalars lw("lw", dec.local);
    auto hx = Kokkos::create_mirror_view(x);
    auto hw = Kokkos::create_mirror_view(lw);
    for (std::int64_t i = 0; i < dec.local; ++i) {
      const std::int64_t g = dec.offset + i;
      hx(i, 0) = double(g);
      hw(i) = g % 4 == 0 ? std::log(3.0) : (g % 4 == 1 ? -INFINITY : 0.0);  // weights 3, 0, 1, 1
    }
    Kokkos::deep_copy(x, hx);
    Kokkos::deep_copy(lw, hw);
    auto r = systematic_resample(c, x, lw, dec.offset, 5);
    std::vector<double> counts(N, 0.0);
    for (std::size_t i = 0; i < r.source.extent(0); ++i) {
      counts[r.source(i)] += 1;
      CHECK(r.x(i, 0) == double(r.source(i)));
    }
    for (auto& v : counts) v = c.sum(v);
    return counts;
  };
  const auto a = run(comm), b = run(self);
  double total = 0;
  for (std::int64_t g = 0; g < N; ++g) {
    const double expect = (g % 4 == 0 ? 3.0 : g % 4 == 1 ? 0.0 : 1.0) * N / 50.0;  // Σw = 10·5 = 50
    CHECK(std::abs(a[g] - expect) < 1.0);
    CHECK(a[g] == b[g]);
    total += a[g];
  }
  CHECK(total == N);
}

TEST_CASE("annealing_flow end to end: reproducible, rank-count independent, mode weights", "[samplers][annealing_flow][mpi]") {
  Comm comm;
  Comm self(MPI_COMM_SELF);
  const auto t = two_modes();
  AnnealingFlow af(af_config(af_options(tiny_deck)));
  const std::string prefix = "test_af_" + std::to_string(comm.size());
  const auto s = run_af(comm, t, tiny_deck, 3, &af, prefix);
  const auto again = run_af(comm, t, tiny_deck, 3);
  const auto one = run_af(self, t, tiny_deck, 3);
  REQUIRE(s.has_log_q);
  REQUIRE(s.dec.global == 1500);

  // Same seed and rank count: bit-identical samples, log q and losses.
  auto x1 = Kokkos::create_mirror_view_and_copy(HostSpace(), s.x), x2 = Kokkos::create_mirror_view_and_copy(HostSpace(), again.x);
  auto q1 = Kokkos::create_mirror_view_and_copy(HostSpace(), s.log_q), q2 = Kokkos::create_mirror_view_and_copy(HostSpace(), again.log_q);
  int bitwise = 0;
  for (std::size_t i = 0; i < x1.extent(0); ++i) bitwise += (x1(i, 0) != x2(i, 0)) + (x1(i, 1) != x2(i, 1)) + (q1(i) != q2(i));
  CHECK(bitwise == 0);
  CHECK(s.series.at("loss") == again.series.at("loss"));

  // 1 rank vs this rank count: only the order of floating-point sums differs (gradient
  // allreduce), so the samples agree far below any statistical tolerance.
  const auto all = gather(comm, s.x), ref = Kokkos::create_mirror_view_and_copy(HostSpace(), one.x);
  const auto lq_all = gather(comm, s.log_q);
  auto lq_ref = Kokkos::create_mirror_view_and_copy(HostSpace(), one.log_q);
  double dx = 0, dq = 0;
  for (std::size_t i = 0; i < ref.extent(0); ++i) {
    dx = std::max({dx, std::abs(all(i, 0) - ref(i, 0)), std::abs(all(i, 1) - ref(i, 1))});
    dq = std::max(dq, std::abs(lq_all(i, 0) - lq_ref(i)));
  }
  INFO("1 vs " << comm.size() << " ranks: max |dx| = " << dx << ", max |d log q| = " << dq);
  CHECK(dx < 1e-6);
  CHECK(dq < 1e-6);

  // Metrics. Mode weights of 1500 flow samples: binomial σ = √(0.25·0.75/1500) ≈ 0.011; the
  // tiny flow (3 × 100 iterations) is biased towards equal weights, so the raw check is loose
  // (±0.15: the minority mode holds clearly less than half) and the IS-reweighted one
  // (self-normalised weights) tight (±0.04). log Z = 0: the IS estimate within 0.1.
  for (const auto* run : {&s, &one}) {
    const Comm& c = run == &s ? comm : self;
    Vector<int> lab("lab", run->x.extent(0));
    t.assign_modes(run->x, lab);
    const auto w = metrics::mode_weights(c, lab, 2);
    Scalars lw("lw", run->x.extent(0));
    const auto U = run->U, lq = run->log_q;
    Kokkos::parallel_for("lw", Kokkos::RangePolicy<ExecSpace>(0, lw.extent(0)), KOKKOS_LAMBDA(const int i) { lw(i) = -U(i) - lq(i); });
    const auto ws = metrics::weight_summary(c, lw);
    INFO("mode weights " << w[0] << " " << w[1] << ", IS mse " << run->scalars.at("is_mode_mse_mean") << ", log Z "
                         << ws.log_z << ", ESS fraction " << ws.ess_fraction);
    CHECK(std::abs(w[0] - 0.25) < 0.15);
    CHECK(run->scalars.at("is_mode_mse_mean") < 0.04 * 0.04);
    CHECK(std::abs(ws.log_z) < 0.1);
    CHECK(ws.ess_fraction > 0.3);
  }
  CHECK(s.series.at("loss").size() == 3 * 100);
  CHECK(s.series.at("beta") == std::vector<double>({0.5, 1.0, 1.0}));

  // The exact log q of the samples agrees with the pull-back through the trained blocks, as the
  // output's log_density (the report's EUBO) computes it.
  Scalars lq_pull("lq_pull", s.x.extent(0));
  REQUIRE(s.log_density);
  s.log_density(s.x, lq_pull);
  auto hp = Kokkos::create_mirror_view_and_copy(HostSpace(), lq_pull);
  double dpull = 0;
  for (std::size_t i = 0; i < hp.extent(0); ++i) dpull = std::max(dpull, std::abs(hp(i) - q1(i)));
  INFO("max |log q(push) - log q(pull-back)| = " << dpull);
  CHECK(dpull < 0.05);

  // write_extra: networks, schedules, losses in the run file, which links to the trajectory
  // file (committed first, as the driver does): 5 paths of 1 + 3 blocks × 3 steps frames.
  const std::string path = "test_af_extra_" + std::to_string(comm.size()) + ".h5";
  REQUIRE(s.trajectory_file);
  CHECK(s.trajectories.file == prefix + "_trajectories.h5");
  CHECK(s.trajectories.dataset == "/trajectories/x");
  CHECK(s.trajectories.times == std::vector<double>({0, 1 / 3., 2 / 3., 1, 4 / 3., 5 / 3., 2, 7 / 3., 8 / 3., 3}));
  CHECK_FALSE(again.trajectory_file);  // no opener: no paths
  s.trajectory_file->commit();
  {
    io::H5Writer f(comm, path);
    f.write_rows_from("/samples/x", s.x);
    s.write_extra(f);
    f.commit();
  }
  {
    io::H5Reader r(comm, path), rt(comm, s.trajectory_file->path());
    CHECK(r.dims("/networks/block_3/params") == std::vector<hsize_t>{af.state().model.blocks[2].velocity->num_params()});
    CHECK(r.dims("/annealing_flow/loss") == std::vector<hsize_t>{3, 100});
    CHECK(rt.dims("/trajectories/x") == std::vector<hsize_t>{5, 10, 2});
    const auto traj = rt.read_all_double("/trajectories/x");
    CHECK(r.read_all_double("/trajectories/x") == traj);  // through the external link
    CHECK(rt.attribute_int64("/trajectories", "steps_per_block") == 3);
    const auto xs = r.read_rows("/samples/x", 0, 5);
    CHECK(traj[(3 * 10 + 9) * 2 + 1] == xs(3, 1));  // the last frame is the sample
    CHECK(r.read_all_double("/annealing_flow/beta").back() == 1.0);
    CHECK(r.dims("/annealing_flow/resampled_x") == std::vector<hsize_t>{1500, 2});  // systematic: N copies in all
  }
  comm.barrier();
  if (comm.root()) {
    std::remove(path.c_str());
    std::remove(s.trajectory_file->path().c_str());
  }
}
