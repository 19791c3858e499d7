// Targets against independent references: finite differences of U for ∇U and of ∇U for ΔU,
// quadrature for log Z, closed forms and exact-sample statistics.
#include <cmath>

#include "boltzflow/core/Rng.hpp"
#include "boltzflow/targets/Factory.hpp"
#include "boltzflow/targets/LogisticRegression.hpp"
#include "boltzflow/targets/ManyWell.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;

namespace {
std::unique_ptr<Target> build(const std::string& deck) {
  config::po::options_description d;
  add_target_options(d);
  return make_target(config::Options::parse(d, "[target]\n" + deck, {}));
}

Matrix<Real, HostSpace> random_points(int n, int d, double scale, double shift, std::uint64_t seed) {
  Matrix<Real, HostSpace> x("x", n, d);
  Rng r(seed, Stream::metrics);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j) x(i, j) = shift + scale * r.normal(i, 0, j);
  return x;
}

std::vector<double> energies(const Target& t, const Matrix<Real, HostSpace>& hx) {
  Particles x("x", hx.extent(0), hx.extent(1));
  Kokkos::deep_copy(x, hx);
  Scalars U("U", hx.extent(0));
  t.energy(x, U);
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), U);
  return std::vector<double>(h.data(), h.data() + h.extent(0));
}

// Checks ∇U against central differences of U, ΔU against central differences of ∇U, and that
// gradient() returns the same U as energy().
void check_derivatives(const Target& t, const Matrix<Real, HostSpace>& hx, double tol = 1e-6) {
  const int n = hx.extent(0), d = hx.extent(1);
  Particles x("x", n, d), g("g", n, d);
  Kokkos::deep_copy(x, hx);
  Scalars U("U", n), lap("lap", n);
  t.gradient(x, U, g);
  t.laplacian(x, lap);
  auto hg = Kokkos::create_mirror_view_and_copy(HostSpace(), g);
  auto hU = Kokkos::create_mirror_view_and_copy(HostSpace(), U);
  auto hl = Kokkos::create_mirror_view_and_copy(HostSpace(), lap);
  const auto U0 = energies(t, hx);
  for (int i = 0; i < n; ++i) CHECK(hU(i) == Approx(U0[i]).epsilon(1e-12));
  for (int j = 0; j < d; ++j) {
    const double h = 1e-5;
    auto xp = Kokkos::create_mirror(x), xm = Kokkos::create_mirror(x);
    Kokkos::deep_copy(xp, hx);
    Kokkos::deep_copy(xm, hx);
    for (int i = 0; i < n; ++i) {
      xp(i, j) += h;
      xm(i, j) -= h;
    }
    const auto Up = energies(t, xp), Um = energies(t, xm);
    for (int i = 0; i < n; ++i) {
      const double fd = (Up[i] - Um[i]) / (2 * h);
      CHECK(std::abs(hg(i, j) - fd) <= tol * (1 + std::abs(fd)) * 1e2);  // FD truncation ~h², cancellation ~ε|U|/h
    }
  }
  // ΔU = Σ_j ∂_j(∇U)_j by central differences of the gradient.
  std::vector<double> fdlap(n, 0.0);
  for (int j = 0; j < d; ++j) {
    const double h = 1e-5;
    Particles xp("xp", n, d), xm("xm", n, d), gp("gp", n, d), gm("gm", n, d);
    auto hp = Kokkos::create_mirror(xp);
    Kokkos::deep_copy(hp, hx);
    for (int i = 0; i < n; ++i) hp(i, j) += h;
    Kokkos::deep_copy(xp, hp);
    for (int i = 0; i < n; ++i) hp(i, j) -= 2 * h;
    Kokkos::deep_copy(xm, hp);
    t.gradient(xp, U, gp);
    t.gradient(xm, U, gm);
    auto a = Kokkos::create_mirror_view_and_copy(HostSpace(), gp);
    auto b = Kokkos::create_mirror_view_and_copy(HostSpace(), gm);
    for (int i = 0; i < n; ++i) fdlap[i] += (a(i, j) - b(i, j)) / (2 * h);
  }
  for (int i = 0; i < n; ++i) CHECK(std::abs(hl(i) - fdlap[i]) <= tol * 1e2 * (1 + std::abs(fdlap[i])));
}

// log Z of a 2-D target by the midpoint rule on [−L, L]².
double log_z_2d(const Target& t, double L, int m) {
  const double h = 2 * L / m;
  Matrix<Real, HostSpace> grid("grid", m * m, 2);
  for (int a = 0; a < m; ++a)
    for (int b = 0; b < m; ++b) {
      grid(a * m + b, 0) = -L + (a + 0.5) * h;
      grid(a * m + b, 1) = -L + (b + 0.5) * h;
    }
  const auto U = energies(t, grid);
  double umin = 1e300;
  for (double u : U) umin = std::min(umin, u);
  double s = 0;
  for (double u : U) s += std::exp(-(u - umin));
  return -umin + std::log(s * h * h);
}

Matrix<Real, HostSpace> exact_samples(const Target& t, int n, std::uint64_t seed) {
  Particles x("x", n, t.dim());
  t.sample(seed, 0, x);
  return Kokkos::create_mirror_view_and_copy(HostSpace(), x);
}
}  // namespace

TEST_CASE("every target's gradient and Laplacian match finite differences", "[targets]") {
  struct Case {
    std::string deck;
    double scale, shift;
  };
  const std::vector<Case> cases = {
      {"name = gmm\ndim = 2\nweights = 0.3, 0.7\nmeans = -1, 0, 2, 1\nsigmas = 0.8, 1.3\n", 1.5, 0},
      {"name = gmm\ndim = 3\nweights = 0.5, 0.5\nmeans = 0, 0, 0, 1, 1, 1\n"
       "covariances = 2, 0.3, 0.1, 0.3, 1, 0.2, 0.1, 0.2, 0.5, 1, 0, 0, 0, 2, -0.5, 0, -0.5, 1\n", 1, 0.3},
      {"name = gmm40\n", 20, 0},
      {"name = ring\n", 6, 0},
      {"name = shifted8\n", 0.7, -0.5},
      {"name = grid\n", 4, 0},
      {"name = gmm_random\ndim = 5\n", 0.5, 0},
      {"name = asym_gmm\ndim = 3\n", 4, 0},
      {"name = manywell\ndim = 6\n", 1.2, 0},
      {"name = expgauss\ndim = 12\nbimodal_dims = 4\n", 3, 0},
      {"name = expgauss_unequal\ndim = 16\n", 3, 0},
      {"name = funnel\ndim = 5\nfunnel_sigma = 0.9\n", 1, 0},
      {"name = truncated_normal\nradius = 2\n", 0.5, 3},
      {"name = rings\n", 1.5, 0.4},
      {"name = mustache\n", 1, 0},
      {"name = phi4\ndim = 8\n", 0.7, 0.1},
      {"name = logistic\n", 0.1, 0},
  };
  for (const auto& c : cases) {
    INFO(c.deck);
    const auto t = build(c.deck);
    check_derivatives(*t, random_points(4, t->dim(), c.scale, c.shift, 3));
  }
}

TEST_CASE("log Z of 2-D targets agrees with quadrature", "[targets]") {
  for (const std::string deck : {"name = gmm\nweights = 0.3, 0.7\nmeans = -1, 0, 2, 1\nsigmas = 0.8, 1.3\n",
                                 "name = ring\n", "name = shifted8\n", "name = rings\n",
                                 "name = manywell\ndim = 2\n", "name = funnel\ndim = 2\nfunnel_sigma = 0.9\n",
                                 "name = asym_gmm\n"}) {
    INFO(deck);
    const auto t = build(deck);
    REQUIRE(t->has_log_z());
    CHECK(log_z_2d(*t, 20, 1600) == Approx(t->log_z()).margin(2e-4));
  }
  // (The mustache's mass reaches x_1 ~ 10³, beyond any grid here: its log Z = 0 is checked through
  // the exact sampler's moments below and follows from det ∂T = 1.)
  // Truncated normal: the quadrature resolves the hard edge only to O(h), so compare on a finer grid.
  const auto tn = build("name = truncated_normal\nradius = 2\n");
  CHECK(log_z_2d(*tn, 8, 4000) == Approx(tn->log_z()).margin(2e-3));
}

TEST_CASE("closed-form constants from the specification", "[targets]") {
  const auto mw = build("name = manywell\ndim = 32\n");
  CHECK(mw->log_z() == Approx(164.695675).margin(1e-5));
  CHECK(static_cast<const ManyWell&>(*mw).positive_well_mass() == Approx(0.844307).margin(1e-6));
  CHECK(build("name = expgauss\n")->log_z() == Approx(552.878398).margin(1e-5));
  CHECK(build("name = expgauss_unequal\n")->log_z() == Approx(799.412663).margin(1e-5));
  CHECK(build("name = truncated_normal\n")->log_z() == Approx(-16.162123).margin(1e-6));
  CHECK(build("name = truncated_normal\ndim = 5\n")->log_z() == Approx(-9.272310).margin(1e-6));
}

TEST_CASE("exact samplers reproduce known statistics", "[targets]") {
  const int n = 40000;
  SECTION("GMM-40: FAB's quadratic expectation (closed form)") {
    const auto t = build("name = gmm40\n");
    const auto x = exact_samples(*t, n, 1);
    const double s[2] = {3.0820, -0.5869}, A[2][2] = {{0.6148, 1.2682}, {0.9802, 1.7929}}, b[2] = {0.4556, 0.6323};
    auto f = [&](double u, double v) {
      const double z[2] = {u + s[0], v + s[1]};
      return z[0] * (A[0][0] * z[0] + A[0][1] * z[1]) + z[1] * (A[1][0] * z[0] + A[1][1] * z[1]) + b[0] * z[0] + b[1] * z[1];
    };
    double m = 0, m2 = 0;
    for (int i = 0; i < n; ++i) {
      const double v = f(x(i, 0), x(i, 1));
      m += v / n;
      m2 += v * v / n;
    }
    const auto means = t->parameters().at("means").values;
    const double sig2 = std::pow(std::log1p(std::exp(1.0)), 2);
    double exact = 0;
    for (int k = 0; k < 40; ++k) exact += (f(means[2 * k], means[2 * k + 1]) + sig2 * (A[0][0] + A[1][1])) / 40;
    CHECK(std::abs(m - exact) < 5 * std::sqrt((m2 - m * m) / n));
  }
  SECTION("mode frequencies of mixtures, ManyWell and ExpGauss match the exact weights") {
    for (const std::string deck : {"name = asym_gmm\n", "name = manywell\ndim = 4\n", "name = expgauss\ndim = 6\nbimodal_dims = 3\n",
                                   "name = rings\n"}) {
      INFO(deck);
      const auto t = build(deck);
      Particles x("x", n, t->dim());
      t->sample(9, 0, x);
      Vector<int> lab("lab", n);
      t->assign_modes(x, lab);
      auto hl = Kokkos::create_mirror_view_and_copy(HostSpace(), lab);
      const auto w = t->mode_weights();
      std::vector<double> cnt(w.size(), 0);
      for (int i = 0; i < n; ++i) cnt.at(hl(i)) += 1.0 / n;
      for (std::size_t k = 0; k < w.size(); ++k) CHECK(std::abs(cnt[k] - w[k]) < 5 * std::sqrt(w[k] * (1 - w[k]) / n) + 1e-3);
    }
  }
  SECTION("funnel, mustache and truncated normal moments") {
    const auto f = exact_samples(*build("name = funnel\ndim = 3\nfunnel_sigma = 0.9\n"), n, 2);
    double m0 = 0, v0 = 0, v1 = 0;
    for (int i = 0; i < n; ++i) {
      m0 += f(i, 0) / n;
      v0 += f(i, 0) * f(i, 0) / n;
      v1 += f(i, 1) * f(i, 1) / n;
    }
    CHECK(std::abs(m0) < 5 * 0.9 / std::sqrt(n));
    CHECK(std::abs(v0 - 0.81) < 5 * 0.81 * std::sqrt(2.0 / n));
    CHECK(std::abs(v1 - std::exp(0.81 / 2)) < 0.05 * std::exp(0.81 / 2));  // E e^{x0} = e^{σ²/2}
    const auto m = exact_samples(*build("name = mustache\n"), n, 3);
    double my = 0;  // E x_1 = E y_1 + E (y_0² − 1)² = 0 + E y⁴ − 2 E y² + 1 = 3 − 2 + 1 = 2
    for (int i = 0; i < n; ++i) my += m(i, 1) / n;
    CHECK(std::abs(my - 2.0) < 0.05);
    for (int d : {2, 5}) {
      const auto t = build("name = truncated_normal\ndim = " + std::to_string(d) + "\nradius = 3\n");
      const auto x = exact_samples(*t, n, 4);
      double r2 = 0, inside = 0;
      for (int i = 0; i < n; ++i) {
        double s = 0;
        for (int j = 0; j < d; ++j) s += x(i, j) * x(i, j);
        r2 += s / n;
        inside += s <= 9;
      }
      CHECK(inside == 0);
      // E[|x|² | |x|² > c²] for χ²_d: d = 2: c² + 2; d = 5: computed by 1-D quadrature here.
      double num = 0, den = 0;
      for (int k = 0; k < 200000; ++k) {
        const double s = 9 + (k + 0.5) * 1e-4;
        const double w = std::pow(s, 0.5 * d - 1) * std::exp(-0.5 * s);
        num += s * w;
        den += w;
      }
      CHECK(std::abs(r2 - num / den) < 0.05);
    }
  }
}

TEST_CASE("phi4 is symmetric at b = 0 and logistic regression loads its data", "[targets]") {
  const auto t = build("name = phi4\ndim = 10\n");
  auto x = random_points(3, 10, 0.8, 0.2, 5);
  auto xm = random_points(3, 10, 0.8, 0.2, 5);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 10; ++j) xm(i, j) = -x(i, j);
  const auto a = energies(*t, x), b = energies(*t, xm);
  for (int i = 0; i < 3; ++i) CHECK(a[i] == Approx(b[i]).epsilon(1e-13));
  const auto lr = build("name = logistic\n");
  const auto& blr = static_cast<const LogisticRegression&>(*lr);
  CHECK(lr->dim() == 32);
  CHECK(blr.n_train() + blr.n_test() == 569);
  CHECK(blr.n_test() == 114);
  CHECK(blr.n_positive() == 357);
}

TEST_CASE("bad target keys name the key", "[targets]") {
  CHECK_THROWS_WITH(build("name = manywell\ndim = 5\n"), Catch::Contains("target.dim"));
  CHECK_THROWS_WITH(build("name = gmm\nweights = 0.5, 0.6\nmeans = 0, 0, 1, 1\nsigmas = 1\n"), Catch::Contains("target.weights"));
  CHECK_THROWS_WITH(build("name = gmm\nweights = 0.5, 0.5\nmeans = 0, 0, 1\nsigmas = 1\n"), Catch::Contains("target.means"));
  CHECK_THROWS_WITH(build("name = gmm\nweights = 1\nmeans = 0, 0\nsigmas = -1\n"), Catch::Contains("target.sigmas"));
  CHECK_THROWS_WITH(build("name = gmm\nweights = 1\nmeans = 0, x\nsigmas = 1\n"), Catch::Contains("target.means"));
  CHECK_THROWS_WITH(build("name = ring\ndim = 3\n"), Catch::Contains("target.dim"));
  CHECK_THROWS_WITH(build("name = logistic\ndata = /nonexistent.csv\n"), Catch::Contains("/nonexistent.csv"));
  CHECK_THROWS_WITH(build("name = gmm\nfile = missing.csv\n"), Catch::Contains("missing.csv"));
  CHECK_THROWS_WITH(build("name = nosuch\n"), Catch::Contains("target.name"));
}
