// The integrator's forward map against independent references: the closed-form flow of a
// linear field (matrix exponential), its exact ℓ = tr(A)(t1 - t0), ω by Simpson's rule on
// the exact path, the global order of each scheme, time reversal, and ℓ of a velocity MLP
// against log|det| of the Jacobian of the discrete map by central differences.
#include <cmath>

#include "catch_compat.hpp"
#include "ode/FlowTestUtil.hpp"

using namespace flowtest;
using boltzflow::nn::Activation;
using boltzflow::nn::DivMode;
using boltzflow::ode::FlowSpec;
using boltzflow::ode::Integrator;
using boltzflow::ode::Scheme;

namespace {
constexpr int D = 3, B = 5;
const std::vector<double> A_lin = {-0.4, 0.9, 0.1, -0.7, 0.2, 0.3, 0.25, -0.5, -0.6};
const std::vector<double> c_lin = {0.3, -0.2, 0.5};

struct LinearRun {
  std::vector<double> x, ell, omega;
};
LinearRun run_linear(Scheme s, int steps, double t0, double t1, DivMode div, const Probes& probes = {}) {
  LinearField f(D, A_lin, c_lin);
  FlowSpec spec;
  spec.scheme = s;
  spec.steps = steps;
  spec.t0 = t0;
  spec.t1 = t1;
  spec.div = div;
  spec.kinetic = true;
  Integrator<double> integ(spec);
  Mat x = particles(B, D, 1);
  Vec ell("ell", B), omega("omega", B);
  integ.integrate(f, x, ell, omega, probes);
  return {host(x), host(ell), host(omega)};
}
// Exact x(t1) for every particle, and ω(t1) = ∫ ‖A x + c t‖² dt by composite Simpson on the exact path.
LinearRun exact_linear(double t0, double t1) {
  const auto x0 = host(particles(B, D, 1));
  LinearRun r;
  r.omega.assign(B, 0.0);
  const int m = 400;  // Simpson intervals (error ~ (Δt)^4, far below the tolerances)
  for (int b = 0; b < B; ++b) {
    const std::vector<double> xb(x0.begin() + b * D, x0.begin() + (b + 1) * D);
    const auto xe = linear_flow(D, A_lin, c_lin, xb, t0, t1);
    r.x.insert(r.x.end(), xe.begin(), xe.end());
    const double dt = (t1 - t0) / m;
    for (int q = 0; q <= m; ++q) {
      const double t = t0 + q * dt;
      const auto xt = linear_flow(D, A_lin, c_lin, xb, t0, t);
      double sq = 0;
      for (int i = 0; i < D; ++i) {
        double vi = c_lin[i] * t;
        for (int j = 0; j < D; ++j) vi += A_lin[i * D + j] * xt[j];
        sq += vi * vi;
      }
      const double w = (q == 0 || q == m) ? 1 : (q % 2 ? 4 : 2);
      r.omega[b] += w * sq * dt / 3;
    }
  }
  return r;
}
double trace_A() { return A_lin[0] + A_lin[4] + A_lin[8]; }
}  // namespace

TEST_CASE("integrator: linear field against the closed-form flow, forward and backward in time", "[ode][integrator]") {
  for (auto s : {Scheme::rk4_38, Scheme::rk4_classic}) {
    for (auto [t0, t1] : {std::pair{0.2, 1.1}, std::pair{1.1, 0.2}}) {
      INFO("scheme " << to_string(s) << ", t0 " << t0 << " -> t1 " << t1);
      const auto r = run_linear(s, 64, t0, t1, DivMode::exact);
      const auto e = exact_linear(t0, t1);
      CHECK(max_abs_diff(r.x, e.x) < 1e-8);
      CHECK(max_abs_diff(r.omega, e.omega) < 1e-8);
      for (int b = 0; b < B; ++b) CHECK(std::abs(r.ell[b] - trace_A() * (t1 - t0)) < 1e-13);
      // Hutchinson with fixed probes: ℓ = mean_k εᵀAε (t1 - t0) exactly; x, ω are unaffected.
      const Probes pr = rademacher_probes(B, 2, D, 3);
      const auto rh = run_linear(s, 64, t0, t1, DivMode::hutchinson, pr);
      const auto p = host(pr);
      for (int b = 0; b < B; ++b) {
        double q = 0;
        for (int k = 0; k < 2; ++k)
          for (int i = 0; i < D; ++i)
            for (int j = 0; j < D; ++j) q += 0.5 * p[(b * 2 + k) * D + i] * A_lin[i * D + j] * p[(b * 2 + k) * D + j];
        CHECK(std::abs(rh.ell[b] - q * (t1 - t0)) < 1e-13);
      }
      CHECK(max_abs_diff(rh.x, r.x) == 0.0);
      // DivMode::none leaves ℓ untouched.
      const auto rn = run_linear(s, 64, t0, t1, DivMode::none);
      for (int b = 0; b < B; ++b) CHECK(rn.ell[b] == 0.0);
      CHECK(max_abs_diff(rn.x, r.x) == 0.0);
    }
  }
}

TEST_CASE("integrator: global error order (RK4 ratio 16, Euler ratio 2 on halving h)", "[ode][integrator]") {
  const double t0 = 0.2, t1 = 1.1;
  const auto e = exact_linear(t0, t1);
  struct Case {
    Scheme s;
    int n0;
    double ratio;
  };
  for (const Case c : {Case{Scheme::euler, 64, 2.0}, Case{Scheme::rk4_classic, 8, 16.0}, Case{Scheme::rk4_38, 8, 16.0}}) {
    std::vector<double> ex, eo;
    for (int n = c.n0; n <= 4 * c.n0; n *= 2) {
      const auto r = run_linear(c.s, n, t0, t1, DivMode::exact);
      ex.push_back(max_abs_diff(r.x, e.x));
      eo.push_back(max_abs_diff(r.omega, e.omega));
    }
    for (int k = 0; k + 1 < 3; ++k) {
      INFO("scheme " << to_string(c.s) << ", steps " << (c.n0 << k) << ": x errors " << ex[k] << " -> " << ex[k + 1]
                     << ", omega errors " << eo[k] << " -> " << eo[k + 1]);
      CHECK(ex[k] / ex[k + 1] == Approx(c.ratio).epsilon(0.12));
      CHECK(eo[k] / eo[k + 1] == Approx(c.ratio).epsilon(0.12));
    }
  }
}

namespace {
constexpr int D2 = 2, B2 = 4;
FlowSpec mlp_spec(Scheme s, int steps, double t0, double t1, DivMode div = DivMode::exact) {
  FlowSpec spec;
  spec.scheme = s;
  spec.steps = steps;
  spec.t0 = t0;
  spec.t1 = t1;
  spec.div = div;
  spec.kinetic = true;
  return spec;
}
}  // namespace

// Φ_{-h}∘Φ_h = id + O(h^{p+2}) when the leading local error term is odd in h (RK4: h^5
// cancels, so the round trip is O(h^5) globally, ratio 32); Euler's h² term adds up (ratio 2).
TEST_CASE("integrator: integrating back from t1 to t0 inverts the forward map to the scheme's order",
          "[ode][integrator]") {
  nn::VelocityMlp<double> net(mlp_shape(D2, Activation::tanh), 21, false);
  const Mat x0 = particles(B2, D2, 4);
  for (auto [s, n0, ratio] : {std::tuple{Scheme::euler, 32, 2.0}, std::tuple{Scheme::rk4_classic, 4, 32.0},
                              std::tuple{Scheme::rk4_38, 4, 32.0}}) {
    std::vector<double> ex, el;
    for (int n = n0; n <= 4 * n0; n *= 2) {
      Integrator<double> fwd(mlp_spec(s, n, 0.0, 1.0)), bwd(mlp_spec(s, n, 1.0, 0.0));
      Mat x("x", B2, D2);
      Kokkos::deep_copy(x, x0);
      Vec ell("ell", B2), omega("omega", B2);
      fwd.integrate(net, x, ell, omega);
      bwd.integrate(net, x, ell, omega);
      ex.push_back(max_abs_diff(host(x), host(x0)));
      el.push_back(max_abs_diff(host(ell), std::vector<double>(B2, 0.0)));  // ℓ(t0→t1) + ℓ(t1→t0)
    }
    for (int k = 0; k + 1 < 3; ++k) {
      INFO("scheme " << to_string(s) << ", steps " << (n0 << k) << ": |x - x0| " << ex[k] << " -> " << ex[k + 1]
                     << ", |ell| " << el[k] << " -> " << el[k + 1]);
      CHECK(ex[k] / ex[k + 1] == Approx(ratio).epsilon(0.25));
      CHECK(el[k] / el[k + 1] == Approx(ratio).epsilon(0.25));
    }
    if (s != Scheme::euler) CHECK(ex.back() < 1e-6);
  }
}

TEST_CASE("integrator: ℓ of a velocity MLP matches log|det| of the discrete map's Jacobian", "[ode][integrator]") {
  nn::VelocityMlp<double> net(mlp_shape(D2, Activation::softplus), 23, false);
  const Mat x0 = particles(B2, D2, 5);
  const double h_fd = 2e-3;
  for (auto [s, n0, ratio] : {std::tuple{Scheme::euler, 32, 2.0}, std::tuple{Scheme::rk4_classic, 4, 16.0},
                              std::tuple{Scheme::rk4_38, 4, 16.0}}) {
    std::vector<double> err;
    for (int n = n0; n <= 4 * n0; n *= 2) {
      Integrator<double> integ(mlp_spec(s, n, 0.0, 1.0));
      const auto map = [&](double dx, int col, Vec ell) {
        Mat x("x", B2, D2);
        Kokkos::deep_copy(x, x0);
        auto hx = Kokkos::create_mirror_view_and_copy(HostSpace(), x);
        for (int b = 0; b < B2; ++b) hx(b, col) += dx;
        Kokkos::deep_copy(x, hx);
        integ.integrate(net, x, ell, Vec());
        return host(x);
      };
      Vec ell("ell", B2);
      map(0.0, 0, ell);
      const auto l = host(ell);
      std::vector<double> J(B2 * D2 * D2);  // J[b][i][j] = ∂x_i(t1)/∂x_j(t0), each particle's map is separate
      for (int j = 0; j < D2; ++j) {
        // Fourth-order central stencil: its error stays well below the O(h^4) gap being measured.
        const auto p1 = map(h_fd, j, Vec()), m1 = map(-h_fd, j, Vec());
        const auto p2 = map(2 * h_fd, j, Vec()), m2 = map(-2 * h_fd, j, Vec());
        for (int b = 0; b < B2; ++b)
          for (int i = 0; i < D2; ++i) {
            const int q = b * D2 + i;
            J[q * D2 + j] = (8 * (p1[q] - m1[q]) - (p2[q] - m2[q])) / (12 * h_fd);
          }
      }
      double e = 0;
      for (int b = 0; b < B2; ++b) {
        const double* Jb = &J[b * D2 * D2];
        e = std::max(e, std::abs(l[b] - std::log(std::abs(Jb[0] * Jb[3] - Jb[1] * Jb[2]))));
      }
      err.push_back(e);
    }
    for (int k = 0; k + 1 < 3; ++k) {
      INFO("scheme " << to_string(s) << ", steps " << (n0 << k) << ": |ell - log|det J|| " << err[k] << " -> "
                     << err[k + 1]);
      CHECK(err[k] / err[k + 1] == Approx(ratio).epsilon(0.3));
    }
    if (s != Scheme::euler) CHECK(err.back() < 1e-5);
  }
}

TEST_CASE("integrator: forward() equals integrate(), velocity evaluations are counted", "[ode][integrator]") {
  nn::VelocityMlp<double> net(mlp_shape(D2, Activation::tanh), 25, false);
  for (auto s : {Scheme::euler, Scheme::rk4_classic, Scheme::rk4_38})
    for (bool kinetic : {false, true}) {
      INFO("scheme " << to_string(s) << ", kinetic " << kinetic);
      const int S = boltzflow::ode::tableau(s).stages, steps = 3;
      FlowSpec spec = mlp_spec(s, steps, 0.0, 1.0);
      spec.kinetic = kinetic;
      Integrator<double> a(spec), b(spec);
      Mat xa = particles(B2, D2, 6), xb = particles(B2, D2, 6);
      Vec la("la", B2), lb("lb", B2), oa("oa", B2), ob("ob", B2);
      a.integrate(net, xa, la, oa);
      b.forward(net, xb, lb, ob);
      CHECK(max_abs_diff(host(xa), host(xb)) == 0.0);
      CHECK(max_abs_diff(host(la), host(lb)) == 0.0);
      CHECK(max_abs_diff(host(oa), host(ob)) == 0.0);
      if (!kinetic) CHECK(max_abs_diff(host(oa), std::vector<double>(B2, 0.0)) == 0.0);
      CHECK(a.nfe() == steps * S);
      CHECK(b.nfe() == steps * S);
      Mat gx("gx", B2, D2);
      Vec gp("gp", net.num_params());
      Kokkos::deep_copy(gx, 1.0);
      b.backward(net, gx, la, oa, gp);
      // Adjoint: S vjps per step (the stage velocities are taped, none is re-evaluated).
      CHECK(b.nfe() == steps * S + steps * S);
    }
}

TEST_CASE("integrator: float instantiation agrees with double", "[ode][integrator]") {
  nn::VelocityMlp<double> net(mlp_shape(D2, Activation::tanh), 27, false);
  nn::VelocityMlp<float> netf(mlp_shape(D2, Activation::tanh), 27, false);
  {
    const auto p = host(net.params());
    auto hp = Kokkos::create_mirror_view(netf.params());
    for (std::size_t k = 0; k < p.size(); ++k) hp(k) = float(p[k]);
    Kokkos::deep_copy(netf.params(), hp);
  }
  const FlowSpec spec = mlp_spec(Scheme::rk4_38, 4, 0.0, 1.0);
  Integrator<double> id(spec);
  Integrator<float> iff(spec);
  Mat x = particles(B2, D2, 7);
  Matrix<float> xf("xf", B2, D2);
  {
    const auto hx = host(x);
    auto h = Kokkos::create_mirror_view(xf);
    for (std::size_t k = 0; k < hx.size(); ++k) h.data()[k] = float(hx[k]);
    Kokkos::deep_copy(xf, h);
  }
  Vec l("l", B2), o("o", B2);
  Vector<float> lf("lf", B2), of("of", B2);
  id.forward(net, x, l, o);
  iff.forward(netf, xf, lf, of);
  CHECK(max_abs_diff(host(x), host(xf)) < 1e-5);
  CHECK(max_abs_diff(host(l), host(lf)) < 1e-5);
  CHECK(max_abs_diff(host(o), host(of)) < 1e-5);
  Mat gx("gx", B2, D2);
  Matrix<float> gxf("gxf", B2, D2);
  Vec gl("gl", B2), gp("gp", net.num_params());
  Vector<float> glf("glf", B2), gpf("gpf", netf.num_params());
  Kokkos::deep_copy(gx, 1.0);
  Kokkos::deep_copy(gxf, 1.0f);
  Kokkos::deep_copy(gl, 0.5);
  Kokkos::deep_copy(glf, 0.5f);
  id.backward(net, gx, gl, gl, gp);
  iff.backward(netf, gxf, glf, glf, gpf);
  CHECK(max_abs_diff(host(gx), host(gxf)) < 1e-4);
  const auto g = host(gp);
  double gmax = 0;
  for (double v : g) gmax = std::max(gmax, std::abs(v));
  CHECK(max_abs_diff(g, host(gpf)) < 1e-4 * gmax);
}
