// Every derivative of the jet MLP against finite differences of its value path, and every
// reverse-mode gradient (parameters and inputs) of losses built from each mode against
// central differences of the loss, for each activation and time input, in double.
#include <cmath>
#include <functional>

#include "boltzflow/core/Rng.hpp"
#include "boltzflow/nn/EnergyMlp.hpp"
#include "boltzflow/nn/Gemm.hpp"
#include "boltzflow/nn/VelocityMlp.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;
using namespace boltzflow::nn;
using Mat = Matrix<double>;
using Vec = Vector<double>;
using Probes = VelocityField<double>::Probes;

namespace {
constexpr int B = 4, D = 3;
const double h_fd = 1e-5;

Mat random_x(std::uint64_t seed) {
  Mat x("x", B, D);
  auto h = Kokkos::create_mirror_view(x);
  const Rng r(seed, Stream::metrics);
  for (int b = 0; b < B; ++b)
    for (int j = 0; j < D; ++j) h(b, j) = 0.8 * r.normal(b, 1, j);
  Kokkos::deep_copy(x, h);
  return x;
}
template <class V>
std::vector<double> host(const V& v) {
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), v);
  return std::vector<double>(h.data(), h.data() + h.span());
}
// Random cotangent weights (fixed per test).
std::vector<double> weights(int n, std::uint64_t seed) {
  std::vector<double> w(n);
  const Rng r(seed, Stream::metrics);
  for (int i = 0; i < n; ++i) w[i] = r.normal(i, 2, 0);
  return w;
}
template <class V>
void set(const V& v, const std::vector<double>& values) {
  auto h = Kokkos::create_mirror_view(v);
  for (std::size_t i = 0; i < values.size(); ++i) h.data()[i] = values[i];
  Kokkos::deep_copy(v, h);
}
double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}
// Central difference of loss() in parameter k (perturbing the flat parameter View in place).
double fd_param(const Vec& p, std::size_t k, const std::function<double()>& loss) {
  auto hp = Kokkos::create_mirror_view_and_copy(HostSpace(), p);
  const double p0 = hp(k);
  hp(k) = p0 + h_fd;
  Kokkos::deep_copy(p, hp);
  const double lp = loss();
  hp(k) = p0 - h_fd;
  Kokkos::deep_copy(p, hp);
  const double lm = loss();
  hp(k) = p0;
  Kokkos::deep_copy(p, hp);
  return (lp - lm) / (2 * h_fd);
}
double fd_input(const Mat& x, int b, int j, const std::function<double()>& loss) {
  auto hx = Kokkos::create_mirror_view_and_copy(HostSpace(), x);
  const double x0 = hx(b, j);
  hx(b, j) = x0 + h_fd;
  Kokkos::deep_copy(x, hx);
  const double lp = loss();
  hx(b, j) = x0 - h_fd;
  Kokkos::deep_copy(x, hx);
  const double lm = loss();
  hx(b, j) = x0;
  Kokkos::deep_copy(x, hx);
  return (lp - lm) / (2 * h_fd);
}
bool close(double a, double b, double rel = 1e-6) { return std::abs(a - b) <= rel * std::max(1.0, std::abs(b)); }

MlpShape shape(Activation a, TimeInput t) {
  MlpShape s;
  s.dim = D;
  s.width = 8;
  s.depth = 2;
  s.activation = a;
  s.softplus_beta = a == Activation::softplus ? 3.0 : 1.0;
  s.time = t;
  s.fourier_features = 2;
  return s;
}
}  // namespace

TEST_CASE("velocity MLP: divergence and its reverse mode match finite differences", "[nn][jets]") {
  for (auto act : {Activation::tanh, Activation::softplus, Activation::silu})
    for (auto tin : {TimeInput::none, TimeInput::linear, TimeInput::fourier}) {
      INFO("activation " << to_string(act) << ", time input " << int(tin));
      VelocityMlp<double> net(shape(act, tin), 5, false);
      const double t = 0.3;
      Mat x = random_x(1), v("v", B, D), gx("gx", B, D), gv("gv", B, D);
      Vec div("div", B), gdiv("gdiv", B), gp("gp", net.num_params());
      Probes probes("probes", B, 2, D);
      set(probes, weights(B * 2 * D, 7));
      // Jacobian by central differences of the value path.
      const auto values = [&](const Mat& xx) {
        net.forward(xx, t, DivMode::none, {}, v, div);
        return host(v);
      };
      std::vector<double> J(B * D * D);  // J[b][i][j] = ∂v_i/∂x_j
      for (int j = 0; j < D; ++j) {
        auto hx = Kokkos::create_mirror_view_and_copy(HostSpace(), x);
        Mat xp("xp", B, D), xm("xm", B, D);
        auto a = hx;
        for (int b = 0; b < B; ++b) a(b, j) += h_fd;
        Kokkos::deep_copy(xp, a);
        for (int b = 0; b < B; ++b) a(b, j) -= 2 * h_fd;
        Kokkos::deep_copy(xm, a);
        for (int b = 0; b < B; ++b) a(b, j) += h_fd;
        const auto vp = values(xp), vm = values(xm);
        for (int b = 0; b < B; ++b)
          for (int i = 0; i < D; ++i) J[(b * D + i) * D + j] = (vp[b * D + i] - vm[b * D + i]) / (2 * h_fd);
      }
      net.forward(x, t, DivMode::exact, {}, v, div);
      const auto de = host(div);
      net.forward(x, t, DivMode::hutchinson, probes, v, div);
      const auto dh = host(div);
      const auto pr = host(probes);
      for (int b = 0; b < B; ++b) {
        double tr = 0, hut = 0;
        for (int i = 0; i < D; ++i) tr += J[(b * D + i) * D + i];
        for (int k = 0; k < 2; ++k)
          for (int i = 0; i < D; ++i)
            for (int j = 0; j < D; ++j) hut += 0.5 * pr[(b * 2 + k) * D + i] * J[(b * D + i) * D + j] * pr[(b * 2 + k) * D + j];
        CHECK(close(de[b], tr, 1e-8));
        CHECK(close(dh[b], hut, 1e-8));
      }
      // Reverse mode of L = Σ gv·v + gdiv·div for each divergence mode.
      const auto wv = weights(B * D, 11), wd = weights(B, 13);
      set(gv, wv);
      set(gdiv, wd);
      for (auto mode : {DivMode::none, DivMode::exact, DivMode::hutchinson}) {
        INFO("div mode " << int(mode));
        const auto loss = [&]() {
          net.forward(x, t, mode, probes, v, div);
          return dot(host(v), wv) + (mode == DivMode::none ? 0.0 : dot(host(div), wd));
        };
        Kokkos::deep_copy(gp, 0.0);
        net.vjp(x, t, mode, probes, gv, gdiv, gx, gp);
        const auto g = host(gp), gxi = host(gx);
        int bad = 0;
        for (std::size_t k = 0; k < net.num_params(); ++k) bad += !close(g[k], fd_param(net.params(), k, loss));
        CHECK(bad == 0);
        for (int b = 0; b < B; ++b)
          for (int j = 0; j < D; ++j) CHECK(close(gxi[b * D + j], fd_input(x, b, j, loss)));
      }
    }
}

TEST_CASE("energy MLP: gradient, time derivative, Laplacian and their reverse mode match FD", "[nn][jets]") {
  for (auto act : {Activation::tanh, Activation::softplus, Activation::silu})
    for (auto tin : {TimeInput::linear, TimeInput::fourier}) {
      INFO("activation " << to_string(act) << ", time input " << int(tin));
      EnergyMlp<double> net(shape(act, tin), 9, false);
      double t = 0.6;
      Mat x = random_x(2), grad("grad", B, D), gx("gx", B, D), ggrad("ggrad", B, D), tmp("tmp", B, D);
      Vec f("f", B), dt("dt", B), lap("lap", B), gf("gf", B), gdt("gdt", B), glap("glap", B), gp("gp", net.num_params());
      const EnergyWant all{true, true, true};
      net.evaluate(x, t, all, f, grad, dt, lap);
      const auto g0 = host(grad), dt0 = host(dt), lap0 = host(lap);
      const auto fvals = [&]() {
        net.evaluate(x, t, EnergyWant{}, f, tmp, dt, lap);
        return host(f);
      };
      for (int b = 0; b < B; ++b)
        for (int j = 0; j < D; ++j) {
          const auto lossb = [&]() { return fvals()[b]; };
          CHECK(close(g0[b * D + j], fd_input(x, b, j, lossb), 1e-7));
        }
      const double t0 = t;
      t = t0 + h_fd;
      const auto fp = fvals();
      t = t0 - h_fd;
      const auto fm = fvals();
      t = t0;
      for (int b = 0; b < B; ++b) CHECK(close(dt0[b], (fp[b] - fm[b]) / (2 * h_fd), 1e-7));
      // Laplacian: Σ_j ∂_j (∇f)_j by central differences of the gradient.
      for (int b = 0; b < B; ++b) {
        double fl = 0;
        for (int j = 0; j < D; ++j) {
          const auto gj = [&]() {
            net.evaluate(x, t, EnergyWant{true, false, false}, f, grad, dt, lap);
            return host(grad)[b * D + j];
          };
          fl += fd_input(x, b, j, gj);
        }
        CHECK(close(lap0[b], fl, 1e-7));
      }
      // Reverse mode for losses from each output (alone and all together).
      const auto wf = weights(B, 21), wg = weights(B * D, 22), wt = weights(B, 23), wl = weights(B, 24);
      set(gf, wf), set(ggrad, wg), set(gdt, wt), set(glap, wl);
      for (const EnergyWant want : {EnergyWant{}, EnergyWant{true, false, false}, EnergyWant{false, true, false},
                                    EnergyWant{false, false, true}, all}) {
        INFO("want grad " << want.grad << " dt " << want.dt << " lap " << want.lap);
        const auto loss = [&]() {
          net.evaluate(x, t, want, f, grad, dt, lap);
          return dot(host(f), wf) + (want.grad ? dot(host(grad), wg) : 0) + (want.dt ? dot(host(dt), wt) : 0) +
                 (want.lap ? dot(host(lap), wl) : 0);
        };
        Kokkos::deep_copy(gp, 0.0);
        net.vjp(x, t, want, gf, ggrad, gdt, glap, gx, gp);
        const auto g = host(gp), gxi = host(gx);
        int bad = 0;
        for (std::size_t k = 0; k < net.num_params(); ++k) bad += !close(g[k], fd_param(net.params(), k, loss));
        CHECK(bad == 0);
        for (int b = 0; b < B; ++b)
          for (int j = 0; j < D; ++j) CHECK(close(gxi[b * D + j], fd_input(x, b, j, loss)));
      }
    }
}

TEST_CASE("float networks agree with double ones", "[nn][jets]") {
  const auto s = shape(Activation::tanh, TimeInput::fourier);
  VelocityMlp<double> nd(s, 3, false);
  VelocityMlp<float> nf(s, 3, false);
  Mat x = random_x(4), v("v", B, D);
  Vec div("div", B);
  Matrix<float> xf("xf", B, D), vf("vf", B, D);
  Vector<float> divf("divf", B);
  auto hx = Kokkos::create_mirror_view_and_copy(HostSpace(), x);
  auto hxf = Kokkos::create_mirror_view(xf);
  for (int b = 0; b < B; ++b)
    for (int j = 0; j < D; ++j) hxf(b, j) = float(hx(b, j));
  Kokkos::deep_copy(xf, hxf);
  nd.forward(x, 0.25, DivMode::exact, {}, v, div);
  nf.forward(xf, 0.25f, DivMode::exact, {}, vf, divf);
  const auto a = host(v), b = host(vf), c = host(div), e = host(divf);
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(std::abs(a[i] - b[i]) < 1e-5);
  for (std::size_t i = 0; i < c.size(); ++i) CHECK(std::abs(c[i] - e[i]) < 1e-5);
  CHECK(nd.num_params() == std::size_t((s.inputs() + 1) * 8 + 9 * 8 + 9 * D));
}

namespace {
// Products issued by f (the kept jets save the forward ones).
std::size_t products(const std::function<void()>& f) {
  std::vector<gemm::Call> calls;
  gemm::call_log() = &calls;
  f();
  gemm::call_log() = nullptr;
  return calls.size();
}
void perturb(const Vec& v, std::size_t k, double by) {
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), v);
  h(k) += by;
  Kokkos::deep_copy(v, h);
}
}  // namespace

TEST_CASE("jets kept by forward: reused by backward on the same inputs only, same result", "[nn][jets]") {
  VelocityMlp<double> net(shape(Activation::silu, TimeInput::fourier), 5, false);
  Mat x = random_x(1), other = random_x(3), v("v", B, D), gx("gx", B, D), gv("gv", B, D);
  Vec div("div", B), gdiv("gdiv", B), gp("gp", net.num_params());
  Probes probes("probes", B, 2, D);
  set(probes, weights(B * 2 * D, 7));
  set(gv, weights(B * D, 11));
  set(gdiv, weights(B, 13));
  const double t = 0.3;
  for (auto mode : {DivMode::none, DivMode::exact, DivMode::hutchinson}) {
    INFO("div mode " << int(mode));
    // The gradients of one vjp, after a forward at (fx, ft) or, cold, after one elsewhere.
    std::size_t n_products = 0;
    const auto grads = [&](bool warm, double tv) {
      if (warm)
        net.forward(x, t, mode, probes, v, div);
      else
        net.forward(other, 0.9, mode, probes, v, div);
      Kokkos::deep_copy(gp, 0.0);
      n_products = products([&]() { net.vjp(x, tv, mode, probes, gv, gdiv, gx, gp); });
      auto g = host(gp);
      const auto gxi = host(gx);
      g.insert(g.end(), gxi.begin(), gxi.end());
      return g;
    };
    const auto cold = grads(false, t);
    const std::size_t cold_products = n_products;
    CHECK(grads(true, t) == cold);  // bitwise: the same computation, once
    CHECK(n_products < cold_products);
    // An input changed between forward and vjp: the vjp is that of the changed inputs.
    CHECK(grads(true, 0.4) == grads(false, 0.4));
    {
      net.forward(x, t, mode, probes, v, div);
      perturb(net.params(), 3, 0.01);
      Kokkos::deep_copy(gp, 0.0);
      net.vjp(x, t, mode, probes, gv, gdiv, gx, gp);
      const auto g = host(gp);
      const auto c = grads(false, t);
      CHECK(std::vector<double>(c.begin(), c.begin() + g.size()) == g);
      CHECK(g != std::vector<double>(cold.begin(), cold.begin() + g.size()));
      perturb(net.params(), 3, -0.01);
    }
    const auto changed_input = [&](const auto& view, std::size_t k) {
      net.forward(x, t, mode, probes, v, div);
      const Vec flat(view.data(), view.span());
      perturb(flat, k, 0.01);
      Kokkos::deep_copy(gp, 0.0);
      net.vjp(x, t, mode, probes, gv, gdiv, gx, gp);
      const auto g = host(gp);
      const auto c = grads(false, t);
      perturb(flat, k, -0.01);
      return std::vector<double>(c.begin(), c.begin() + g.size()) == g && g != std::vector<double>(cold.begin(), cold.begin() + g.size());
    };
    CHECK(changed_input(x, 4));
    if (mode == DivMode::hutchinson) CHECK(changed_input(probes, 5));
  }
}

TEST_CASE("energy MLP: kept jets give the recomputed gradients", "[nn][jets]") {
  EnergyMlp<double> net(shape(Activation::softplus, TimeInput::linear), 9, false);
  Mat x = random_x(2), other = random_x(5), grad("grad", B, D), gx("gx", B, D), ggrad("ggrad", B, D);
  Vec f("f", B), dt("dt", B), lap("lap", B), gf("gf", B), gdt("gdt", B), glap("glap", B), gp("gp", net.num_params());
  set(gf, weights(B, 21)), set(ggrad, weights(B * D, 22)), set(gdt, weights(B, 23)), set(glap, weights(B, 24));
  for (const EnergyWant want : {EnergyWant{true, false, true}, EnergyWant{true, true, true}}) {
    std::size_t n = 0;
    const auto grads = [&](const Mat& at) {
      net.evaluate(at, 0.6, want, f, grad, dt, lap);
      Kokkos::deep_copy(gp, 0.0);
      n = products([&]() { net.vjp(x, 0.6, want, gf, ggrad, gdt, glap, gx, gp); });
      auto g = host(gp);
      const auto gxi = host(gx);
      g.insert(g.end(), gxi.begin(), gxi.end());
      return g;
    };
    const auto cold = grads(other);
    const std::size_t n_cold = n;
    CHECK(grads(x) == cold);
    CHECK(n < n_cold);
  }
}
