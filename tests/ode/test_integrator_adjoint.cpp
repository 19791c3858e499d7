// The discrete adjoint of Integrator::forward against central differences of
// L = Σ_b [g_b·x_b(t1) + a_b ℓ_b(t1) + c_b ω_b(t1)] with respect to every parameter and every
// x(t0) entry: velocity MLPs (tanh, softplus) and a linear field, every scheme, every
// divergence mode (Hutchinson with fixed probes), forward and backward in time; and the
// same flow on 2 ranks (different particles) against 1 rank, particle by particle.
#include <cmath>

#include "boltzflow/core/Comm.hpp"
#include "catch_compat.hpp"
#include "ode/FlowTestUtil.hpp"

using namespace flowtest;
using boltzflow::nn::Activation;
using boltzflow::nn::DivMode;
using boltzflow::ode::FlowSpec;
using boltzflow::ode::Integrator;
using boltzflow::ode::Scheme;

namespace {
constexpr int D = 2, B = 3, K = 2;
const double h_fd = 1e-5;

struct Cotangents {
  std::vector<double> g, a, c;
};
Cotangents cotangents(int Bn, std::uint64_t seed, int offset = 0) {
  const auto g = normals((offset + Bn) * D, seed), a = normals(offset + Bn, seed + 1), c = normals(offset + Bn, seed + 2);
  return {std::vector<double>(g.begin() + offset * D, g.end()), std::vector<double>(a.begin() + offset, a.end()),
          std::vector<double>(c.begin() + offset, c.end())};
}

// Checks the adjoint of one flow; returns the largest relative error seen.
double check_adjoint(const nn::VelocityField<double>& net, const FlowSpec& spec, std::uint64_t seed) {
  const Mat x0 = particles(B, D, seed, 0.9);
  const Probes probes = rademacher_probes(B, K, D, seed);
  const Cotangents w = cotangents(B, seed + 10);
  Integrator<double> integ(spec);
  Mat x("x", B, D);
  Vec ell("ell", B), omega("omega", B);
  const auto loss = [&]() {
    Kokkos::deep_copy(ell, 0.1);  // initial values do not enter the gradient
    Kokkos::deep_copy(omega, -0.2);
    integ.integrate(net, x, ell, omega, probes);
    return dot(host(x), w.g) + dot(host(ell), w.a) + dot(host(omega), w.c);
  };
  // Adjoint.
  Kokkos::deep_copy(x, x0);
  Kokkos::deep_copy(ell, 0.1);
  Kokkos::deep_copy(omega, -0.2);
  integ.forward(net, x, ell, omega, probes);
  Mat gx("gx", B, D);
  Vec gell("gell", B), gomega("gomega", B), gp("gp", net.num_params());
  set(gx, w.g);
  set(gell, w.a);
  set(gomega, w.c);
  Kokkos::deep_copy(gp, 0.25);  // backward accumulates
  integ.backward(net, gx, gell, gomega, gp);
  std::vector<double> adj = host(gp), fd;
  for (auto& v : adj) v -= 0.25;
  const auto adx = host(gx);
  adj.insert(adj.end(), adx.begin(), adx.end());
  // Central differences in each parameter, then in each x(t0) entry.
  const Vec p = net.params();
  auto hp = Kokkos::create_mirror_view_and_copy(HostSpace(), p);
  for (std::size_t k = 0; k < net.num_params(); ++k) {
    const double p0 = hp(k);
    double l[2];
    for (int side = 0; side < 2; ++side) {
      hp(k) = p0 + (side ? -h_fd : h_fd);
      Kokkos::deep_copy(p, hp);
      Kokkos::deep_copy(x, x0);
      l[side] = loss();
    }
    hp(k) = p0;
    Kokkos::deep_copy(p, hp);
    fd.push_back((l[0] - l[1]) / (2 * h_fd));
  }
  for (int b = 0; b < B; ++b)
    for (int j = 0; j < D; ++j) {
      double l[2];
      for (int side = 0; side < 2; ++side) {
        auto hx = Kokkos::create_mirror(HostSpace(), x0);  // a copy, never an alias of x0
        Kokkos::deep_copy(hx, x0);
        hx(b, j) += side ? -h_fd : h_fd;
        Kokkos::deep_copy(x, hx);
        l[side] = loss();
      }
      fd.push_back((l[0] - l[1]) / (2 * h_fd));
    }
  // Relative error, floored at 1e-3 of the largest component (for components near zero).
  double scale = 0, worst = 0;
  for (double v : fd) scale = std::max(scale, std::abs(v));
  REQUIRE(scale > 1e-3);  // the loss must actually depend on the inputs
  for (std::size_t k = 0; k < fd.size(); ++k)
    worst = std::max(worst, std::abs(adj[k] - fd[k]) / std::max(std::abs(fd[k]), 1e-3 * scale));
  return worst;
}
}  // namespace

TEST_CASE("integrator adjoint: velocity MLP, every scheme, divergence mode and direction, against FD",
          "[ode][adjoint]") {
  for (auto act : {Activation::tanh, Activation::softplus}) {
    nn::VelocityMlp<double> net(mlp_shape(D, act), 31, false);
    for (auto div : {DivMode::exact, DivMode::hutchinson, DivMode::none})
      for (auto s : {Scheme::euler, Scheme::rk4_classic, Scheme::rk4_38})
        for (auto [t0, t1] : {std::pair{0.0, 1.0}, std::pair{1.0, 0.0}}) {
          FlowSpec spec;
          spec.scheme = s;
          spec.steps = 3;
          spec.t0 = t0;
          spec.t1 = t1;
          spec.div = div;
          spec.kinetic = div != DivMode::none;  // also covers the plain flow (x only)
          const double e = check_adjoint(net, spec, 40);
          INFO("activation " << to_string(act) << ", div " << int(div) << ", scheme " << to_string(s) << ", t0 "
                             << t0 << " -> " << t1 << ": max relative error " << e);
          CHECK(e < 1e-6);
        }
  }
}

TEST_CASE("integrator adjoint: linear field (time-dependent, exact and Hutchinson) against FD", "[ode][adjoint]") {
  LinearField f(D, {-0.3, 0.8, -0.5, 0.4}, {0.6, -0.9});
  for (auto div : {DivMode::exact, DivMode::hutchinson})
    for (auto s : {Scheme::euler, Scheme::rk4_classic, Scheme::rk4_38}) {
      FlowSpec spec;
      spec.scheme = s;
      spec.steps = 4;
      spec.t0 = 0.3;
      spec.t1 = -0.7;
      spec.div = div;
      spec.kinetic = true;
      const double e = check_adjoint(f, spec, 50);
      INFO("div " << int(div) << ", scheme " << to_string(s) << ": max relative error " << e);
      CHECK(e < 1e-6);
    }
}

TEST_CASE("integrator adjoint: empty cotangents and a field without ℓ, ω behave as zero cotangents",
          "[ode][adjoint]") {
  nn::VelocityMlp<double> net(mlp_shape(D, Activation::tanh), 33, false);
  FlowSpec spec;
  spec.scheme = Scheme::rk4_38;
  spec.steps = 2;
  spec.kinetic = true;
  const Mat x0 = particles(B, D, 8);
  const auto w = cotangents(B, 9);
  std::vector<std::vector<double>> grads;
  for (int variant = 0; variant < 2; ++variant) {
    Integrator<double> integ(spec);
    Mat x("x", B, D), gx("gx", B, D);
    Kokkos::deep_copy(x, x0);
    Vec ell("ell", B), omega("omega", B), zero("zero", B), gp("gp", net.num_params());
    integ.forward(net, x, ell, omega);
    set(gx, w.g);
    if (variant == 0)
      integ.backward(net, gx, Vec(), Vec(), gp);
    else
      integ.backward(net, gx, zero, zero, gp);
    auto g = host(gp);
    const auto hx = host(gx);
    g.insert(g.end(), hx.begin(), hx.end());
    grads.push_back(g);
  }
  CHECK(max_abs_diff(grads[0], grads[1]) < 1e-14);
}

TEST_CASE("integrator adjoint: 2 ranks on different particles give per-particle the 1-rank results", "[ode][mpi]") {
  const Comm comm;
  constexpr int N = 7;  // global particles, split unevenly
  const int n = N / comm.size() + (comm.rank() < N % comm.size() ? 1 : 0);
  const int off = int(comm.exscan(std::int64_t(n)));
  nn::VelocityMlp<double> net(mlp_shape(D, Activation::softplus), 35, false);
  FlowSpec spec;
  spec.scheme = Scheme::rk4_38;
  spec.steps = 3;
  spec.div = DivMode::hutchinson;
  spec.kinetic = true;
  struct Out {
    std::vector<double> x, ell, omega, gx, gp;
  };
  // Particle b of the run is global particle offset + b: inputs, probes and cotangents keyed by it.
  const auto solve = [&](int Bn, int offset) {
    Integrator<double> integ(spec);
    Mat x = particles(Bn, D, 60, 1.0, offset), gx("gx", Bn, D);
    const Probes probes = rademacher_probes(Bn, K, D, 61, offset);
    const auto w = cotangents(Bn, 62, offset);
    Vec ell("ell", Bn), omega("omega", Bn), gell("gell", Bn), gomega("gomega", Bn), gp("gp", net.num_params());
    integ.forward(net, x, ell, omega, probes);
    Out o{host(x), host(ell), host(omega), {}, {}};
    set(gx, w.g);
    set(gell, w.a);
    set(gomega, w.c);
    integ.backward(net, gx, gell, gomega, gp);
    o.gx = host(gx);
    comm.allreduce_sum(gp);
    o.gp = host(gp);
    return o;
  };
  const Out local = solve(n, off);
  // The 1-rank reference: all particles in one batch, without the reduction.
  const Comm self(MPI_COMM_SELF);
  Out all;
  {
    Integrator<double> integ(spec);
    Mat x = particles(N, D, 60), gx("gx", N, D);
    const Probes probes = rademacher_probes(N, K, D, 61);
    const auto w = cotangents(N, 62);
    Vec ell("ell", N), omega("omega", N), gell("gell", N), gomega("gomega", N), gp("gp", net.num_params());
    integ.forward(net, x, ell, omega, probes);
    all = Out{host(x), host(ell), host(omega), {}, {}};
    set(gx, w.g);
    set(gell, w.a);
    set(gomega, w.c);
    integ.backward(net, gx, gell, gomega, gp);
    all.gx = host(gx);
    all.gp = host(gp);
  }
  for (int b = 0; b < n; ++b) {
    CHECK(local.ell[b] == Approx(all.ell[off + b]).epsilon(1e-13));
    CHECK(local.omega[b] == Approx(all.omega[off + b]).epsilon(1e-13));
    for (int j = 0; j < D; ++j) {
      CHECK(local.x[b * D + j] == Approx(all.x[(off + b) * D + j]).epsilon(1e-13));
      CHECK(local.gx[b * D + j] == Approx(all.gx[(off + b) * D + j]).epsilon(1e-13));
    }
  }
  double gmax = 0;
  for (double v : all.gp) gmax = std::max(gmax, std::abs(v));
  CHECK(max_abs_diff(local.gp, all.gp) < 1e-13 * gmax);
}

TEST_CASE("integrator adjoint: per-stage field workspaces give the same gradients without re-running forwards",
          "[ode][adjoint]") {
  for (const auto mode : {DivMode::exact, DivMode::hutchinson}) {
    FlowSpec spec;
    spec.scheme = Scheme::rk4_38;
    spec.steps = 3;
    spec.div = mode;
    spec.kinetic = true;
    const Mat x0 = particles(B, D, 21);
    const Probes probes = rademacher_probes(B, K, D, 22);
    const auto w = cotangents(B, 23);
    std::vector<std::vector<double>> grads;
    std::vector<long> forwards;
    std::vector<std::size_t> held;
    for (const bool keep : {false, true}) {
      nn::VelocityMlp<double> net(mlp_shape(D, Activation::softplus), 34, false);
      Integrator<double> integ(spec);
      integ.tape_field_workspaces(keep);
      Mat x("x", B, D), gx("gx", B, D);
      Kokkos::deep_copy(x, x0);
      Vec ell("ell", B), omega("omega", B), gell("gell", B), gomega("gomega", B), gp("gp", net.num_params());
      integ.forward(net, x, ell, omega, probes);
      set(gx, w.g);
      set(gell, w.a);
      set(gomega, w.c);
      held.push_back(net.workspace_bytes());
      integ.backward(net, gx, gell, gomega, gp);
      auto g = host(gp);
      const auto hx = host(gx);
      g.insert(g.end(), hx.begin(), hx.end());
      grads.push_back(g);
      forwards.push_back(net.network_forwards());
      if (keep) {  // a later solve without them frees the per-stage copies (the budget assumed one)
        const std::size_t with_copies = net.workspace_bytes();
        integ.tape_field_workspaces(false);
        Kokkos::deep_copy(x, x0);
        integ.forward(net, x, ell, omega, probes);
        integ.backward(net, gx, gell, gomega, gp);
        CHECK(net.workspace_bytes() < with_copies);
      }
    }
    const long E = spec.steps * 4;  // stage evaluations of the solve
    INFO("mode " << int(mode) << ": forwards " << forwards[0] << " / " << forwards[1]);
    CHECK(max_abs_diff(grads[0], grads[1]) == 0.0);  // the same arithmetic, bit for bit
    CHECK(forwards[0] == 2 * E - 1);                 // each vjp but the last stage's re-runs its forward
    CHECK(forwards[1] == E);
    CHECK(held[1] > held[0]);
  }
}
