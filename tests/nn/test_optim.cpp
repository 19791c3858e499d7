// Adam/AdamW against an independent scalar re-implementation and the closed form of the
// first step, clipping, schedules against their formulas, NaN handling, deck validation,
// and data-parallel training: ranks agree bitwise and match a one-rank full-batch run.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/nn/Adam.hpp"
#include "boltzflow/nn/DataParallel.hpp"
#include "boltzflow/nn/LrSchedule.hpp"
#include "boltzflow/nn/VelocityMlp.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;
using namespace boltzflow::nn;

namespace {
template <class T>
Vector<T> make(const std::vector<double>& values, const char* label) {
  Vector<T> v(std::string(label), values.size());
  auto h = Kokkos::create_mirror_view(v);
  for (std::size_t i = 0; i < values.size(); ++i) h(i) = static_cast<T>(values[i]);
  Kokkos::deep_copy(v, h);
  return v;
}
template <class V>
std::vector<double> host(const V& v) {
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), v);
  return std::vector<double>(h.data(), h.data() + h.span());
}
template <class V>
void set(const V& v, const std::vector<double>& values) {
  auto h = Kokkos::create_mirror_view(v);
  for (std::size_t i = 0; i < values.size(); ++i) h(i) = static_cast<typename V::value_type>(values[i]);
  Kokkos::deep_copy(v, h);
}
std::vector<double> draw(int n, std::uint32_t step, double scale) {
  std::vector<double> out(n);
  const Rng r(3, Stream::metrics);
  for (int i = 0; i < n; ++i) out[i] = scale * r.normal(i, step, 0);
  return out;
}

// Textbook Adam (Kingma & Ba, Alg. 1, with bias-corrected moments) plus Loshchilov-Hutter
// decoupled decay, written independently of the library's fused form.
struct ScalarAdam {
  AdamConfig c;
  std::vector<double> m, v;
  long t = 0;
  void step(std::vector<double>& theta, std::vector<double> g) {
    double n2 = 0;
    for (double gi : g) n2 += gi * gi;
    if (c.clip_norm > 0 && std::sqrt(n2) > c.clip_norm)
      for (double& gi : g) gi *= c.clip_norm / std::sqrt(n2);
    const double lr = c.schedule.at(c.lr, t);
    ++t;
    if (m.empty()) m.assign(theta.size(), 0.0), v.assign(theta.size(), 0.0);
    for (std::size_t i = 0; i < theta.size(); ++i) {
      m[i] = c.beta1 * m[i] + (1 - c.beta1) * g[i];
      v[i] = c.beta2 * v[i] + (1 - c.beta2) * g[i] * g[i];
      const double mhat = m[i] / (1 - std::pow(c.beta1, t));
      const double vhat = v[i] / (1 - std::pow(c.beta2, t));
      const double decayed = theta[i] - lr * c.weight_decay * theta[i];
      theta[i] = decayed - lr * mhat / (std::sqrt(vhat) + c.eps);
    }
  }
};
}  // namespace

TEST_CASE("Adam step 1 is the sign-like closed form -lr g/(|g| + eps)", "[nn][optim]") {
  const int n = 7;
  auto theta0 = draw(n, 1, 1.0);
  auto g = draw(n, 2, 1e-3);
  AdamConfig c;
  c.lr = 0.05;
  Adam<double> adam(n, c);
  auto p = make<double>(theta0, "p");
  auto gr = make<double>(g, "g");
  const double norm = adam.step(p, gr);
  double n2 = 0;
  for (double gi : g) n2 += gi * gi;
  CHECK(norm == Approx(std::sqrt(n2)).epsilon(1e-14));
  const auto p1 = host(p);
  for (int i = 0; i < n; ++i) {
    // PyTorch places eps next to √v/√(1-β2ᵗ) = |g|, as here.
    const double expected = theta0[i] - c.lr * g[i] / (std::abs(g[i]) + c.eps);
    CHECK(p1[i] == Approx(expected).epsilon(1e-13));
    CHECK(std::abs(p1[i] - theta0[i]) == Approx(c.lr).epsilon(1e-4));  // eps ≪ |g|
  }
  CHECK(adam.steps() == 1);
}

TEST_CASE("Adam and AdamW follow the scalar reference over several steps", "[nn][optim]") {
  const int n = 11, steps = 6;
  for (double wd : {0.0, 0.1}) {
    for (double clip : {0.0, 0.5}) {
      AdamConfig c;
      c.lr = 0.02;
      c.beta1 = 0.8;
      c.beta2 = 0.95;
      c.eps = 1e-6;
      c.weight_decay = wd;
      c.clip_norm = clip;
      c.schedule.kind = LrSchedule::Kind::cosine;
      c.schedule.total_steps = steps;
      c.schedule.lr_min = 1e-3;
      std::vector<double> theta = draw(n, 10, 1.0);
      ScalarAdam ref{c, {}, {}, 0};
      Adam<double> adam(n, c);
      auto p = make<double>(theta, "p");
      Vector<double> gr("g", n);
      for (int s = 0; s < steps; ++s) {
        const auto g = draw(n, 20 + s, 0.3);  // norm ≈ 1 > clip: clipping is exercised
        set(gr, g);
        CHECK(adam.current_lr() == Approx(c.schedule.at(c.lr, s)).epsilon(1e-15));
        adam.step(p, gr);
        ref.step(theta, g);
      }
      const auto got = host(p);
      for (int i = 0; i < n; ++i) CHECK(got[i] == Approx(theta[i]).epsilon(1e-13));
      const auto m = host(adam.m()), v = host(adam.v());
      for (int i = 0; i < n; ++i) {
        CHECK(m[i] == Approx(ref.m[i]).epsilon(1e-13));
        CHECK(v[i] == Approx(ref.v[i]).epsilon(1e-13));
      }
    }
  }
}

TEST_CASE("Adam<float> follows the double reference to float accuracy", "[nn][optim]") {
  const int n = 9;
  AdamConfig c;
  c.lr = 0.01;
  c.weight_decay = 0.05;
  std::vector<double> theta = draw(n, 30, 1.0);
  ScalarAdam ref{c, {}, {}, 0};
  Adam<float> adam(n, c);
  auto p = make<float>(theta, "p");
  Vector<float> gr("g", n);
  for (int s = 0; s < 4; ++s) {
    auto g = draw(n, 40 + s, 0.5);
    for (double& gi : g) gi = static_cast<float>(gi);  // the float gradient the optimizer sees
    set(gr, g);
    adam.step(p, gr);
    ref.step(theta, g);
  }
  const auto got = host(p);
  for (int i = 0; i < n; ++i) CHECK(got[i] == Approx(theta[i]).epsilon(2e-6).margin(1e-6));
}

TEST_CASE("gradient clipping rescales to the clip norm exactly", "[nn][optim]") {
  const int n = 5;
  const std::vector<double> g = {3, -4, 0, 12, 0};  // norm 13
  AdamConfig c;
  c.clip_norm = 2.6;
  Adam<double> adam(n, c);
  Vector<double> p("p", n);
  auto gr = make<double>(g, "g");
  CHECK(adam.step(p, gr) == Approx(13.0).epsilon(1e-15));
  const auto gc = host(gr);
  double n2 = 0;
  for (int i = 0; i < n; ++i) {
    CHECK(gc[i] == Approx(g[i] * 0.2).epsilon(1e-15));
    n2 += gc[i] * gc[i];
  }
  CHECK(std::sqrt(n2) == Approx(2.6).epsilon(1e-15));
  // Below the clip norm the gradient is untouched.
  const std::vector<double> small = {0.3, -0.4, 0, 1.2, 0};  // norm 1.3
  set(gr, small);
  CHECK(adam.step(p, gr) == Approx(1.3).epsilon(1e-15));
  CHECK(host(gr) == small);
}

TEST_CASE("learning-rate schedules match their formulas", "[nn][optim]") {
  const double lr0 = 0.1, pi = constants::pi;
  LrSchedule s;
  for (long k : {0L, 5L, 1000L}) CHECK(s.at(lr0, k) == lr0);
  s.kind = LrSchedule::Kind::cosine;
  s.total_steps = 40;
  s.lr_min = 0.01;
  for (long k = 0; k <= 40; k += 7) CHECK(s.at(lr0, k) == Approx(0.01 + 0.045 * (1 + std::cos(pi * k / 40.0))).epsilon(1e-15));
  CHECK(s.at(lr0, 0) == Approx(lr0).epsilon(1e-15));
  CHECK(s.at(lr0, 20) == Approx(0.055).epsilon(1e-15));
  CHECK(s.at(lr0, 40) == Approx(0.01).epsilon(1e-15));
  CHECK(s.at(lr0, 77) == Approx(0.01).epsilon(1e-15));  // held after the end
  s = LrSchedule{};
  s.kind = LrSchedule::Kind::exponential;
  s.decay = 0.5;
  s.every = 3;
  const double expect[] = {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025};
  for (int k = 0; k < 7; ++k) CHECK(s.at(lr0, k) == Approx(expect[k]).epsilon(1e-15));
  s.lr_min = 0.03;
  CHECK(s.at(lr0, 6) == 0.03);
  CHECK(lr_schedule_from_string("cosine", "a.lr_schedule") == LrSchedule::Kind::cosine);
  try {
    lr_schedule_from_string("linear", "a.lr_schedule");
    FAIL("no InputError");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("a.lr_schedule") != std::string::npos);
  }
}

TEST_CASE("a NaN or Inf gradient throws NumericalError and leaves the state untouched", "[nn][optim]") {
  const int n = 4;
  const auto theta = draw(n, 50, 1.0);
  AdamConfig c;
  c.clip_norm = 1.0;
  Adam<double> adam(n, c);
  auto p = make<double>(theta, "p");
  auto gr = make<double>({0.1, 0.2, 0.3, 0.4}, "g");
  adam.step(p, gr);
  const auto p1 = host(p), m1 = host(adam.m()), v1 = host(adam.v());
  for (double bad : {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
    set(gr, {0.1, bad, 0.3, 0.4});
    CHECK_THROWS_AS(adam.step(p, gr), NumericalError);
    CHECK(host(p) == p1);
    CHECK(host(adam.m()) == m1);
    CHECK(host(adam.v()) == v1);
    CHECK(adam.steps() == 1);
  }
  Adam<float> adamf(n, c);
  auto pf = make<float>(theta, "pf");
  auto gf = make<float>({0.1, std::numeric_limits<double>::quiet_NaN(), 0.3, 0.4}, "gf");
  const auto pf0 = host(pf);
  CHECK_THROWS_AS(adamf.step(pf, gf), NumericalError);
  CHECK(host(pf) == pf0);
}

TEST_CASE("Adam deck keys: defaults, parsing and InputError naming the key", "[nn][optim]") {
  config::po::options_description d;
  add_adam_options(d, "train", 3e-3, 5.0);
  auto o = config::Options::parse(d, "", {});
  auto c = adam_config(o, "train", 100);
  CHECK(c.lr == 3e-3);
  CHECK(c.clip_norm == 5.0);
  CHECK(c.beta1 == 0.9);
  CHECK(c.beta2 == 0.999);
  CHECK(c.schedule.kind == LrSchedule::Kind::constant);
  o = config::Options::parse(d, "[train]\nlr = 0.01\nlr_schedule = cosine\nlr_min = 0.001\nweight_decay = 0.1\n", {});
  c = adam_config(o, "train", 250);
  CHECK(c.schedule.kind == LrSchedule::Kind::cosine);
  CHECK(c.schedule.total_steps == 250);
  CHECK(c.schedule.lr_min == 0.001);
  CHECK(c.weight_decay == 0.1);
  const auto bad = [&](const std::string& deck, const std::string& key) {
    try {
      adam_config(config::Options::parse(d, deck, {}), "train", 10);
      FAIL("no InputError for " + deck);
    } catch (const InputError& e) {
      INFO(e.what());
      CHECK(std::string(e.what()).find(key) != std::string::npos);
    }
  };
  bad("[train]\nbeta1 = 1.5\n", "train.beta1");
  bad("[train]\nbeta2 = -0.1\n", "train.beta2");
  bad("[train]\nlr_schedule = linear\n", "train.lr_schedule");
  bad("[train]\nlr_decay_every = 0\n", "train.lr_decay_every");
  bad("[train]\nclip_norm = -1\n", "train.clip_norm");
  bad("[train]\nlr = 0.01\nlr_min = 0.1\n", "train.lr_min");
}

TEST_CASE("average_gradients and broadcast_params across ranks", "[nn][optim][mpi]") {
  const Comm comm;
  const int n = 6, r = comm.rank();
  std::vector<double> mine(n);
  for (int i = 0; i < n; ++i) mine[i] = (i + 1) * (r + 1) + 1.0 / 3.0;
  double total_batch = 10.0 * comm.size();
  std::vector<double> expect(n, 0.0);
  for (int q = 0; q < comm.size(); ++q)
    for (int i = 0; i < n; ++i) expect[i] += (i + 1) * (q + 1) + 1.0 / 3.0;
  auto gd = make<double>(mine, "gd");
  average_gradients(comm, gd, total_batch);
  auto gf = make<float>(mine, "gf");
  average_gradients(comm, gf, total_batch);
  const auto hd = host(gd), hf = host(gf);
  for (int i = 0; i < n; ++i) {
    CHECK(hd[i] == Approx(expect[i] / total_batch).epsilon(1e-15));
    // float inputs summed in double, rounded once: the float of the exact float-input sum.
    double s = 0;
    for (int q = 0; q < comm.size(); ++q) s += static_cast<float>((i + 1) * (q + 1) + 1.0 / 3.0);
    CHECK(hf[i] == static_cast<float>(s / total_batch));
  }
  auto pd = make<double>(std::vector<double>(n, 1.0 + r), "pd");
  auto pf = make<float>(std::vector<double>(n, 2.5 + r), "pf");
  broadcast_params(comm, pd);
  broadcast_params(comm, pf);
  CHECK(host(pd) == std::vector<double>(n, 1.0));
  CHECK(host(pf) == std::vector<double>(n, 2.5));
}

// Named (not anonymous) namespace: CUDA extended lambdas need an enclosing function with
// external linkage.
namespace optim_test {
// A few Adam steps of L = (1/N) Σ_b ½|v(x_b, t) − y_b|² + div v(x_b, t) on the particles
// with global ids [offset, offset + local); returns the final parameters.
std::vector<double> train(const Comm& comm, std::int64_t global, std::int64_t offset, std::int64_t local) {
  MlpShape shape;
  shape.dim = 3;
  shape.width = 16;
  shape.depth = 2;
  VelocityMlp<double> net(shape, 7, false);
  broadcast_params(comm, net.params());
  const int d = shape.dim;
  Matrix<double> x("x", local, d), y("y", local, d), v("v", local, d), gv("gv", local, d), gx("gx", local, d);
  Vector<double> div("div", local), gdiv("gdiv", local), g("g", net.num_params());
  {
    auto hx = Kokkos::create_mirror_view(x);
    auto hy = Kokkos::create_mirror_view(y);
    const Rng rng(11, Stream::metrics);
    for (std::int64_t b = 0; b < local; ++b)
      for (int j = 0; j < d; ++j) {
        hx(b, j) = rng.normal(offset + b, 0, j);
        hy(b, j) = rng.normal(offset + b, 1, j);
      }
    Kokkos::deep_copy(x, hx);
    Kokkos::deep_copy(y, hy);
  }
  Kokkos::deep_copy(gdiv, 1.0);
  AdamConfig c;
  c.lr = 1e-2;
  c.weight_decay = 0.01;
  Adam<double> adam(net.num_params(), c);
  const double t = 0.3;
  for (int s = 0; s < 5; ++s) {
    net.forward(x, t, DivMode::exact, {}, v, div);
    Kokkos::parallel_for(
        "boltzflow::tests::residual", Kokkos::MDRangePolicy<ExecSpace, Kokkos::Rank<2>>({0, 0}, {local, d}),
        KOKKOS_LAMBDA(const std::int64_t b, const int j) { gv(b, j) = v(b, j) - y(b, j); });
    Kokkos::deep_copy(g, 0.0);
    net.vjp(x, t, DivMode::exact, {}, gv, gdiv, gx, g);  // gradient SUM over local particles
    average_gradients(comm, g, static_cast<double>(global));
    adam.step(net.params(), g);
  }
  return host(net.params());
}
}  // namespace optim_test

TEST_CASE("data-parallel Adam: identical parameters on all ranks, equal to one full-batch rank", "[nn][optim][mpi]") {
  const Comm comm;
  const std::int64_t global = 37;  // not divisible by the rank count: uneven slices
  // Even split as Decomposition::even: the first (global mod size) ranks hold one more.
  const std::int64_t base = global / comm.size(), extra = global % comm.size();
  const std::int64_t local = base + (comm.rank() < extra ? 1 : 0);
  const std::int64_t offset = comm.rank() * base + std::min<std::int64_t>(comm.rank(), extra);
  const auto parallel = optim_test::train(comm, global, offset, local);
  const Comm self(MPI_COMM_SELF);
  const auto serial = optim_test::train(self, global, 0, global);
  REQUIRE(parallel.size() == serial.size());
  int differ_across_ranks = 0;
  double max_dev = 0, max_step = 0;
  MlpShape shape;
  shape.dim = 3;
  shape.width = 16;
  shape.depth = 2;
  const auto initial = host(VelocityMlp<double>(shape, 7, false).params());
  for (std::size_t i = 0; i < parallel.size(); ++i) {
    if (comm.max(parallel[i]) != comm.min(parallel[i])) ++differ_across_ranks;
    max_dev = std::max(max_dev, std::abs(parallel[i] - serial[i]));
    max_step = std::max(max_step, std::abs(parallel[i] - initial[i]));
  }
  CHECK(differ_across_ranks == 0);
  CHECK(max_dev <= 1e-12);
  CHECK(max_step > 5e-3);  // training moved the parameters (5 steps of lr 1e-2)
}
