// Fisher–Rao curves: loss gradients vs central finite differences, curve jets vs finite
// differences of f, and zero residual on exact closed-form curves (Gaussian to Gaussian).
#include <cmath>
#include <vector>

#include "boltzflow/core/Rng.hpp"
#include "boltzflow/samplers/fisher_rao/Collocation.hpp"
#include "boltzflow/samplers/fisher_rao/FlowPath.hpp"
#include "boltzflow/samplers/fisher_rao/GradientFlowVelocity.hpp"
#include "boltzflow/samplers/fisher_rao/Residual.hpp"
#include "boltzflow/targets/GaussianMixture.hpp"
#include "catch_compat.hpp"
#include "test_fisher_rao_support.hpp"

using namespace boltzflow;
using namespace boltzflow::fisher_rao;

namespace {

// A host copy that owns its memory (create_mirror_view would alias host-space Views, which the
// curve's workspace overwrites on the next call).
template <class View>
auto owned_copy(const View& v) {
  auto h = Kokkos::create_mirror(v);
  Kokkos::deep_copy(h, v);
  return h;
}

HostParticles random_points(int n, int d, double lo, double hi, std::uint64_t seed) {
  const Rng rng(seed, Stream::metrics);
  HostParticles h("x", n, d);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j) h(i, j) = lo + (hi - lo) * rng.uniform(i, 0, j);
  return h;
}

// Parameters moved off their initialisation (the time networks start with a zero last layer,
// which would make most of their gradient vanish).
void scramble(const Model& m, std::uint64_t seed) {
  const Rng rng(seed, Stream::metrics);
  std::uint64_t id = 0;
  for (const auto& b : m.blocks()) {
    auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), b.params);
    for (std::size_t p = 0; p < h.extent(0); ++p) h(p) += 0.3 * rng.normal(id++, 1, 0);
    Kokkos::deep_copy(b.params, h);
  }
}

// Σ over two time groups of Σ_b ℓ(r_b).
struct Problem {
  Model& m;
  const Target& target;
  LossKind loss;
  Particles x;
  std::vector<double> times;
  double eval(bool grads) {
    ResidualLoss L(m, loss);
    const std::size_t n = x.extent(0), half = n / 2;
    double s = 0;
    for (int g = 0; g < 2; ++g) {
      const auto rows = std::make_pair(g * half, g ? n : half);
      const Particles xg = Kokkos::subview(x, rows, Kokkos::ALL());
      TargetJets tj(target, xg, true);
      s += L.evaluate(xg, times[g], tj, grads);
    }
    return s;
  }
};

void check_gradient(Interpolation kind, LossKind loss, const Target& target, double lo, double hi,
                    LogTargetWeight weight = LogTargetWeight::affine) {
  const int d = target.dim();
  Model m(fr_test::small_model(kind, d, true, weight));
  scramble(m, 11);
  Particles x("x", 24, d);
  Kokkos::deep_copy(x, random_points(24, d, lo, hi, 3));
  Problem P{m, target, loss, x, {0.23, 0.71}};
  m.zero_grads();
  P.eval(true);
  auto g = Kokkos::create_mirror_view_and_copy(HostSpace(), m.grads());
  std::size_t off = 0;
  double worst = 0;
  for (const auto& b : m.blocks()) {
    auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), b.params);
    double gmax = 0;
    for (std::size_t p = 0; p < h.extent(0); ++p) gmax = std::max(gmax, std::abs(g(off + p)));
    REQUIRE(gmax > 0);  // every network takes part in the loss
    for (std::size_t p = 0; p < h.extent(0); ++p) {
      const double th = h(p), e = 1e-5 * std::max(1.0, std::abs(th));
      h(p) = th + e;
      Kokkos::deep_copy(b.params, h);
      const double Lp = P.eval(false);
      h(p) = th - e;
      Kokkos::deep_copy(b.params, h);
      const double Lm = P.eval(false);
      h(p) = th;
      Kokkos::deep_copy(b.params, h);
      const double fd = (Lp - Lm) / (2 * e);
      // Relative to the block's largest component (components near 0 cannot be relative).
      const double err = std::abs(fd - g(off + p)) / std::max(gmax, 1e-300);
      worst = std::max(worst, err);
    }
    INFO(to_string(kind) << " block " << b.name << ": " << h.extent(0) << " parameters, max |g| " << gmax);
    CHECK(worst < 1e-6);
    off += h.extent(0);
  }
}

}  // namespace

TEST_CASE("Fisher-Rao loss gradients match central finite differences", "[samplers][fisher_rao]") {
  // A 2-D mixture with a non-constant Laplacian (the asymmetric GMM of the spec).
  const auto gmm = GaussianMixture::isotropic("asym", 2, {1.0 / 3, 2.0 / 3}, {4, 4, -8, -8}, {1.0});
  SECTION("gradient flow, r^2") { check_gradient(Interpolation::gradient_flow, LossKind::l2, gmm, -9, 5); }
  SECTION("gradient flow, nonnegative weight, r^2") {
    check_gradient(Interpolation::gradient_flow, LossKind::l2, gmm, -9, 5, LogTargetWeight::nonnegative);
  }
  SECTION("linear, |r| + r^2") { check_gradient(Interpolation::linear, LossKind::l1_l2, gmm, -9, 5); }
  SECTION("learned, |r| + r^2") { check_gradient(Interpolation::learned, LossKind::l1_l2, gmm, -9, 5); }
  SECTION("learned, r^2") { check_gradient(Interpolation::learned, LossKind::l2, gmm, -9, 5); }
}

TEST_CASE("Fisher-Rao log-target weights: a(0) = 1, a' and the partials match finite differences",
          "[samplers][fisher_rao]") {
  // g(t) = p + q t + r t², so g' = q + 2 r t; a shift of p moves g alone, a shift of q moves g by t and g' by 1.
  const double p0 = -3.0, q0 = 2.5, r0 = -4.0, e = 1e-6;
  const auto at = [](LogTargetWeight w, double t, double p, double q, double r) {
    return log_target_weight(w, t, p + q * t + r * t * t, q + 2 * r * t);
  };
  for (auto w : {LogTargetWeight::affine, LogTargetWeight::nonnegative}) {
    INFO(to_string(w));
    CHECK(std::abs(at(w, 0.0, p0, q0, r0).a - 1.0) < 1e-15);
    for (double t : {0.05, 0.3, 0.62, 0.97}) {
      const auto j = at(w, t, p0, q0, r0);
      const double fd_t = (at(w, t + e, p0, q0, r0).a - at(w, t - e, p0, q0, r0).a) / (2 * e);
      CHECK(std::abs(fd_t - j.adot) < 1e-7);
      const auto pp = at(w, t, p0 + e, q0, r0), pm = at(w, t, p0 - e, q0, r0);
      CHECK(std::abs((pp.a - pm.a) / (2 * e) - j.da_dg) < 1e-7);
      CHECK(std::abs((pp.adot - pm.adot) / (2 * e) - j.dadot_dg) < 1e-7);
      const auto qp = at(w, t, p0, q0 + e, r0), qm = at(w, t, p0, q0 - e, r0);
      CHECK(std::abs((qp.adot - qm.adot) / (2 * e) - (t * j.dadot_dg + j.dadot_dgdot)) < 1e-7);
    }
  }
  // What the affine weight allows and the nonnegative one excludes: g < −(1 − t)/t gives a < 0.
  CHECK(log_target_weight(LogTargetWeight::affine, 0.5, -1.5, 0.0).a < 0);
  for (double g : {-1.5, -40.0, 3.0}) CHECK(log_target_weight(LogTargetWeight::nonnegative, 0.5, g, 0.0).a >= 0);
  CHECK(log_target_weight(LogTargetWeight::nonnegative, 1.0, 7.0, 1.0).a == 0.0);
}

TEST_CASE("Fisher-Rao curve jets match finite differences of f", "[samplers][fisher_rao]") {
  const auto gmm = GaussianMixture::isotropic("asym", 2, {1.0 / 3, 2.0 / 3}, {4, 4, -8, -8}, {1.0});
  const auto gf = Interpolation::gradient_flow;
  const std::vector<std::pair<Interpolation, LogTargetWeight>> cases = {{gf, LogTargetWeight::affine},
                                                                        {gf, LogTargetWeight::nonnegative},
                                                                        {Interpolation::linear, LogTargetWeight::affine},
                                                                        {Interpolation::learned, LogTargetWeight::affine}};
  for (const auto& [kind, weight] : cases) {
    Model m(fr_test::small_model(kind, 2, false, weight));
    scramble(m, 4);
    Curve curve(m);
    const int n = 6;
    auto hx = random_points(n, 2, -6, 3, 9);
    Particles x("x", n, 2);
    Kokkos::deep_copy(x, hx);
    const double t = 0.37, e = 1e-4;
    TargetJets tj(gmm, x, true);
    const auto& j = curve.jets(x, t, tj, true);
    auto dt = owned_copy(j.dt);
    auto grad = owned_copy(j.grad);
    auto lap = owned_copy(j.lap);
    auto f0 = owned_copy(j.f);
    const auto f_at = [&](const HostParticles& p, double tt) {
      Particles y("y", n, 2);
      Kokkos::deep_copy(y, p);
      TargetJets ty(gmm, y, false);
      return owned_copy(curve.jets(y, tt, ty, false).f);
    };
    auto fp = f_at(hx, t + e), fm = f_at(hx, t - e);
    std::vector<double> lap_fd(n, 0.0);
    for (int i = 0; i < n; ++i) CHECK(std::abs((fp(i) - fm(i)) / (2 * e) - dt(i)) < 1e-6 * std::max(1.0, std::abs(dt(i))));
    for (int k = 0; k < 2; ++k) {
      HostParticles xp("xp", n, 2), xm("xm", n, 2);
      Kokkos::deep_copy(xp, hx);
      Kokkos::deep_copy(xm, hx);
      for (int i = 0; i < n; ++i) {
        xp(i, k) += e;
        xm(i, k) -= e;
      }
      auto gp = f_at(xp, t), gm = f_at(xm, t);
      for (int i = 0; i < n; ++i) {
        CHECK(std::abs((gp(i) - gm(i)) / (2 * e) - grad(i, k)) < 1e-6 * std::max(1.0, std::abs(grad(i, k))));
        lap_fd[i] += (gp(i) - 2 * f0(i) + gm(i)) / (e * e);
      }
    }
    for (int i = 0; i < n; ++i) CHECK(std::abs(lap_fd[i] - lap(i)) < 1e-4 * std::max(1.0, std::abs(lap(i))));
  }
}

namespace {
// A velocity in closed form: no parameters, no jets, never differentiated.
struct ClosedFormVelocity : nn::VelocityField<Real> {
  std::size_t num_params() const override { return 0; }
  Vec params() const override { return {}; }
  std::size_t workspace_bytes_per_particle(nn::DivMode, int) const override { return 0; }
  void vjp(const Mat&, Real, nn::DivMode, const Probes&, const Mat&, const Vec&, const Mat&, const Vec&) const override {
    throw std::logic_error("not needed");
  }
};

// The exact velocity of the linear log-interpolation between N(0, σ₀²I) and N(μ, s²I): ρₜ is
// N(mₜ, I/Pₜ) with Pₜ = (1 − t)/σ₀² + t/s², mₜ = (t/s²) μ / Pₜ, moved by the affine map
// x = mₜ + Pₜ^{-1/2} z: v = ṁ − (P'/(2P))(x − m), ∇·v = −d P'/(2P).
struct GaussianInterpolationVelocity : ClosedFormVelocity {
  std::vector<double> mu;
  double s0, s;
  GaussianInterpolationVelocity(std::vector<double> m, double sigma0, double sigma) : mu(std::move(m)), s0(sigma0), s(sigma) {}
  int dim() const override { return int(mu.size()); }
  double P(double t) const { return (1 - t) / (s0 * s0) + t / (s * s); }
  double dP() const { return 1 / (s * s) - 1 / (s0 * s0); }
  void forward(const Mat& x, Real t, nn::DivMode, const Probes&, const Mat& v, const Vec& div) const override {
    auto hx = Kokkos::create_mirror_view_and_copy(HostSpace(), x);
    auto hv = Kokkos::create_mirror_view(v);
    auto hd = Kokkos::create_mirror_view(div);
    const double p = P(t), k = -dP() / (2 * p), c = (p - t * dP()) / (p * p * s * s);
    for (std::size_t i = 0; i < hx.extent(0); ++i) {
      for (int j = 0; j < dim(); ++j) {
        const double m = t * mu[j] / (s * s * p);
        hv(i, j) = c * mu[j] + k * (hx(i, j) - m);
      }
      hd(i) = dim() * k;
    }
    Kokkos::deep_copy(v, hv);
    Kokkos::deep_copy(div, hd);
  }
  // C_t = −d/dt log Z_t, Z_t = ∫ exp((1 − t) log N(x; 0, σ₀²I) − t|x − μ|²/(2s²)) dx
  //     = (2π/P)^{d/2} exp(t²|μ|²/(2s⁴P) − t|μ|²/(2s²)) (2πσ₀²)^{−(1−t)d/2}.
  double C(double t) const {
    double mu2 = 0;
    for (double m : mu) mu2 += m * m;
    const double p = P(t), d = dim();
    const double dlogZ = -0.5 * d * dP() / p + mu2 / (2 * s * s * s * s) * (2 * t * p - t * t * dP()) / (p * p) -
                         mu2 / (2 * s * s) + 0.5 * d * std::log(2 * M_PI * s0 * s0);
    return -dlogZ;
  }
};
}  // namespace

TEST_CASE("Fisher-Rao residual vanishes on the exact Gaussian linear interpolation", "[samplers][fisher_rao]") {
  const std::vector<double> mu = {2.0, -1.0, 0.5};
  const double s0 = 1.5, s = 0.7;
  fr_test::IsoGaussian target(mu, s);
  auto cfg = fr_test::small_model(Interpolation::linear, 3, false);
  cfg.base_sigma = s0;
  Model m(cfg);
  Curve curve(m);
  GaussianInterpolationVelocity exact(mu, s0, s);
  const int n = 20;
  Particles x("x", n, 3), v("v", n, 3);
  Scalars div("div", n), r("r", n);
  Kokkos::deep_copy(x, random_points(n, 3, -4, 4, 21));
  TargetJets tj(target, x, false);
  double worst = 0, scale = 0;
  for (double t : {0.0, 0.1, 0.5, 0.93, 1.0}) {
    const auto& j = curve.jets(x, t, tj, false);
    exact.forward(x, t, nn::DivMode::exact, {}, v, div);
    continuity_residual(j.dt, exact.C(t), j.grad, v, div, r);
    auto hr = Kokkos::create_mirror_view_and_copy(HostSpace(), r);
    auto hdt = Kokkos::create_mirror_view_and_copy(HostSpace(), j.dt);
    for (int i = 0; i < n; ++i) {
      worst = std::max(worst, std::abs(hr(i)));
      scale = std::max(scale, std::abs(hdt(i)));
    }
  }
  INFO("max |r| = " << worst << ", max |d/dt f| = " << scale);
  CHECK(scale > 1.0);  // the terms are not small by themselves
  CHECK(worst < 1e-11 * scale);
  // A slightly wrong velocity (10% off) leaves a clearly non-zero residual.
  GaussianInterpolationVelocity wrong(mu, s0 * 1.1, s);
  const auto& j = curve.jets(x, 0.5, tj, false);
  wrong.forward(x, 0.5, nn::DivMode::exact, {}, v, div);
  continuity_residual(j.dt, exact.C(0.5), j.grad, v, div, r);
  auto hr = Kokkos::create_mirror_view_and_copy(HostSpace(), r);
  double off = 0;
  for (int i = 0; i < n; ++i) off = std::max(off, std::abs(hr(i)));
  CHECK(off > 1e-2);
}

TEST_CASE("Fisher-Rao gradient-flow residual vanishes on the exact OU Gaussian curve", "[samplers][fisher_rao]") {
  // Target N(0, s²I) under the VP Ornstein–Uhlenbeck flow: ρₜ = N(0, σₜ² I),
  // σₜ² = s² e^{−B(t)} + 1 − e^{−B(t)}; fₜ = −|x|²/(2σₜ²) and Cₜ = −d/dt log Zₜ = −(d/2) dσₜ²/dt / σₜ².
  // The fixed velocity −b(x + ∇f) with its divergence −b(d + Δf) must satisfy the residual.
  const VpSchedule vp;
  const double s = 2.5;
  const int d = 3, n = 10;
  Particles x("x", n, d), grad("grad", n, d), v("v", n, d);
  Scalars lap("lap", n), dt("dt", n), div("div", n), r("r", n);
  auto hx = random_points(n, d, -5, 5, 8);
  Kokkos::deep_copy(x, hx);
  double worst = 0;
  for (double t : {0.001, 0.2, 0.6, 0.999}) {
    const double E = std::exp(-vp.B(t)), beta = 2 * vp.b(t);
    const double var = s * s * E + 1 - E, dvar = beta * E * (1 - s * s);
    auto hg = Kokkos::create_mirror_view(grad);
    auto hl = Kokkos::create_mirror_view(lap);
    auto hdt = Kokkos::create_mirror_view(dt);
    for (int i = 0; i < n; ++i) {
      double r2 = 0;
      for (int k = 0; k < d; ++k) {
        hg(i, k) = -hx(i, k) / var;
        r2 += hx(i, k) * hx(i, k);
      }
      hl(i) = -d / var;
      hdt(i) = 0.5 * r2 * dvar / (var * var);
    }
    Kokkos::deep_copy(grad, hg);
    Kokkos::deep_copy(lap, hl);
    Kokkos::deep_copy(dt, hdt);
    gradient_flow_velocity(x, grad, lap, vp.b(t), v, div);
    continuity_residual(dt, -0.5 * d * dvar / var, grad, v, div, r);
    auto hr = Kokkos::create_mirror_view_and_copy(HostSpace(), r);
    for (int i = 0; i < n; ++i) worst = std::max(worst, std::abs(hr(i)));
  }
  CHECK(worst < 1e-10);
}

namespace {
// The exact gradient-flow curve of a unit-variance Gaussian mixture Σ w_k N(μ_k, I): the VP OU flow
// keeps the variance 1 and shrinks the means, ρₜ = Σ w_k N(mₜ μ_k, I) with mₜ = e^{−B(t)/2}. With
// π_k(x) the component posteriors and μ̄ = Σ π_k μ_k: ∇ log ρₜ = mₜ μ̄ − x, so the fixed velocity
// −b(x + ∇fₜ) = −b mₜ μ̄ and its divergence −b mₜ² (Σ π_k |μ_k|² − |μ̄|²).
struct ExactOuMixture : ClosedFormVelocity {
  std::vector<std::vector<double>> mu;
  std::vector<double> w;
  VpSchedule vp;
  int dim() const override { return int(mu[0].size()); }
  // log ρₜ at one point and the posterior mean μ̄, Σ π_k |μ_k|².
  double log_rho(const double* x, double t, std::vector<double>* bar = nullptr, double* m2 = nullptr) const {
    const int d = dim();
    const double m = vp.mean_factor(t);
    std::vector<double> l(mu.size());
    double lmax = -1e300;
    for (std::size_t k = 0; k < mu.size(); ++k) {
      double r2 = 0;
      for (int j = 0; j < d; ++j) r2 += (x[j] - m * mu[k][j]) * (x[j] - m * mu[k][j]);
      l[k] = std::log(w[k]) - 0.5 * r2;
      lmax = std::max(lmax, l[k]);
    }
    double z = 0;
    for (double lk : l) z += std::exp(lk - lmax);
    if (bar) {
      bar->assign(d, 0.0);
      *m2 = 0;
      for (std::size_t k = 0; k < mu.size(); ++k) {
        const double pk = std::exp(l[k] - lmax) / z;
        for (int j = 0; j < d; ++j) (*bar)[j] += pk * mu[k][j], *m2 += pk * mu[k][j] * mu[k][j];
      }
    }
    return lmax + std::log(z) - 0.5 * d * std::log(2 * M_PI);
  }
  void forward(const Mat& x, Real t, nn::DivMode, const Probes&, const Mat& v, const Vec& div) const override {
    auto hx = Kokkos::create_mirror_view_and_copy(HostSpace(), x);
    auto hv = Kokkos::create_mirror_view(v);
    auto hd = Kokkos::create_mirror_view(div);
    const double m = vp.mean_factor(t), b = vp.b(t);
    std::vector<double> p(dim()), bar;
    for (std::size_t i = 0; i < hx.extent(0); ++i) {
      double m2 = 0, bar2 = 0;
      for (int j = 0; j < dim(); ++j) p[j] = hx(i, j);
      log_rho(p.data(), t, &bar, &m2);
      for (int j = 0; j < dim(); ++j) hv(i, j) = -b * m * bar[j], bar2 += bar[j] * bar[j];
      if (div.extent(0) > 0) hd(i) = -b * m * m * (m2 - bar2);
    }
    Kokkos::deep_copy(v, hv);
    if (div.extent(0) > 0) Kokkos::deep_copy(div, hd);
  }
};
}  // namespace

TEST_CASE("Fisher-Rao gradient-flow sampling path: the exact OU curve of the asymmetric GMM gives its mode weights",
          "[samplers][fisher_rao]") {
  // The sampler's path (N(0, I) at t_max = 0.999, 99 RK4 3/8 steps backward to t_min = 0.001, exact
  // divergence, log q = log N(z) − ∫∇·v) on the exact velocity: the far mode (−8, −8) must get 2/3 of
  // the samples, and log ρ_{t_min}(x) − log q(x) must equal log ρ_{t_max}(z) − log N(z) (the flow
  // carries ρ_{t_max} onto ρ_{t_min} exactly; only the start differs from N(0, I)).
  ExactOuMixture field;
  field.mu = {{4, 4}, {-8, -8}};
  field.w = {1.0 / 3, 2.0 / 3};
  const int n = 4000;
  Particles x("x", n, 2);
  Scalars ell("ell", n), lq("log_q", n);
  draw_base(Rng(5, Stream::metrics), 0, 0, 1.0, x);
  log_base(x, 1.0, lq);
  auto z = owned_copy(x);
  auto lz = owned_copy(lq);
  integrate_path(field, ode::Scheme::rk4_38, 0.999, 0.001, 99, nn::DivMode::exact, x, ell, {}, nullptr);
  auto hx = owned_copy(x);
  auto he = owned_copy(ell);
  int far = 0;
  double worst = 0, sw = 0, sw_far = 0;
  for (int i = 0; i < n; ++i) {
    const bool in_far = hx(i, 0) + hx(i, 1) < -4;
    far += in_far ? 1 : 0;
    const double xi[2] = {hx(i, 0), hx(i, 1)}, zi[2] = {z(i, 0), z(i, 1)};
    const double log_w = field.log_rho(xi, 0.001) - (lz(i) - he(i));
    worst = std::max(worst, std::abs(log_w - (field.log_rho(zi, 0.999) - lz(i))));
    sw += std::exp(log_w);
    sw_far += in_far ? std::exp(log_w) : 0.0;
  }
  const double frac = double(far) / n, weighted = sw_far / sw, sd = std::sqrt(2.0 / 9 / n);
  INFO("far-mode fraction " << frac << " (importance-weighted " << weighted << "), max log-weight error " << worst);
  // N(0, I) is not quite ρ_{0.999} (means 0.0066 μ_k): the unweighted split is off by ≈ 0.013; the
  // importance weights remove that.
  CHECK(std::abs(frac - 2.0 / 3) < 0.015 + 4 * sd);
  CHECK(std::abs(weighted - 2.0 / 3) < 4 * sd);
  CHECK(worst < 1e-3);
}

TEST_CASE("Fisher-Rao box-OU collocation: stratified times and the OU marginal of a box", "[samplers][fisher_rao]") {
  BoxOu box;
  box.groups = 4;
  box.lo = -3;
  box.hi = 5;
  const std::int64_t per = 20000, B = per * box.groups;
  const Decomposition dec{B, B, 0};  // one rank holds everything (the draw is keyed by global row)
  Particles x("x", B, 2);
  const auto groups = box.draw(dec, 7, 3, x);
  REQUIRE(groups.size() == 4u);
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), x);
  for (std::size_t j = 0; j < groups.size(); ++j) {
    const auto& g = groups[j];
    CHECK(g.end - g.begin == std::size_t(per));
    // Time t_j lies in its stratum of (t_min, 1).
    const double w = (1 - box.t_min) / box.groups;
    CHECK(g.t > box.t_min + j * w);
    CHECK(g.t < box.t_min + (j + 1) * w);
    // x = m y + s ε, y ~ U(lo, hi): mean m (lo + hi)/2, variance m²(hi − lo)²/12 + s².
    const double m = std::exp(-0.5 * box.vp.B(g.t)), s2 = 1 - std::exp(-box.vp.B(g.t));
    const double mean = m * (box.lo + box.hi) / 2, var = m * m * (box.hi - box.lo) * (box.hi - box.lo) / 12 + s2;
    for (int k = 0; k < 2; ++k) {
      double a = 0, b = 0;
      for (std::size_t i = g.begin; i < g.end; ++i) {
        a += h(i, k);
        b += h(i, k) * h(i, k);
      }
      const double mu = a / per, v = b / per - mu * mu;
      CHECK(std::abs(mu - mean) < 5 * std::sqrt(var / per));
      CHECK(std::abs(v - var) < 5 * var * std::sqrt(2.0 / per) + 1e-12);
    }
  }
}
