// Exponentially weighted Gaussian (targets.md §3): derivatives vs finite differences away from the
// |x_j| kinks, log Z vs the spec's constants and per-coordinate quadrature of the energy kernel,
// exact samples vs closed-form moments, mode weights and labels.
#include "TargetTestSupport.hpp"
#include "boltzflow/targets/ExpGauss.hpp"

using namespace boltzflow;
using namespace boltzflow::test;

namespace {
// U is a sum over coordinates, U(0) = 0: log Z = Σ_j log ∫ e^{−U(t e_j)} dt, each by the midpoint rule
// on [−L, L] through the energy kernel.
double log_z_separable(const Target& t, double L, int m) {
  const int d = t.dim();
  HostMatrix x("axes", std::size_t(d) * m, d);
  const double h = 2 * L / m;
  for (int j = 0; j < d; ++j)
    for (int q = 0; q < m; ++q) x(std::size_t(j) * m + q, j) = -L + (q + 0.5) * h;
  const auto U = energies(t, x);
  double logz = 0;
  for (int j = 0; j < d; ++j) {
    std::vector<double> v(U.begin() + std::size_t(j) * m, U.begin() + std::size_t(j + 1) * m);
    for (auto& u : v) u = -u;
    logz += log_sum_exp(v, std::log(h));
  }
  return logz;
}

// Moves the bimodal coordinates away from their kink at 0.
std::function<void(HostMatrix&)> off_kinks(int m) {
  return [m](HostMatrix& x) {
    for (std::size_t i = 0; i < x.extent(0); ++i)
      for (int j = 0; j < m; ++j)
        if (std::abs(x(i, j)) < 0.3) x(i, j) += x(i, j) < 0 ? -0.5 : 0.5;
  };
}
}  // namespace

TEST_CASE("ExpGauss gradient and Laplacian match finite differences", "[targets][expgauss]") {
  const auto t = build("name = expgauss\ndim = 12\nexpgauss_m = 4\n");
  check_derivatives(*t, random_points(5, 12, 3, 0, 3, off_kinks(4)));
  const auto u = build("name = expgauss_unequal\ndim = 16\n");
  check_derivatives(*u, random_points(5, 16, 3, 0, 4, off_kinks(10)));
}

TEST_CASE("ExpGauss log Z: the spec's constants and quadrature", "[targets][expgauss]") {
  CHECK(build("name = expgauss\n")->log_z() == Approx(552.878398).margin(1e-5));
  CHECK(build("name = expgauss_unequal\n")->log_z() == Approx(799.412663).margin(1e-5));
  for (const std::string deck : {"name = expgauss\ndim = 6\nexpgauss_m = 3\nexpgauss_c = 2\n",
                                 "name = expgauss\ndim = 50\n", "name = expgauss_unequal\n"}) {
    INFO(deck);
    const auto t = build(deck);
    CHECK(log_z_separable(*t, 20, 8000) == Approx(t->log_z()).margin(1e-7 * t->dim()));
  }
  // A genuinely 2-D quadrature for one small case (not relying on separability).
  const auto t = build("name = expgauss\ndim = 2\nexpgauss_m = 1\nexpgauss_c = 3\n");
  CHECK(log_z_box(*t, -12, 12, -10, 10, 2400, 400) == Approx(t->log_z()).margin(1e-5));
}

TEST_CASE("ExpGauss exact samples, mode weights and labels", "[targets][expgauss]") {
  SECTION("2^m equal modes; label = Σ_j [x_j > 0] 2^j") {
    const auto t = build("name = expgauss\ndim = 6\nexpgauss_m = 3\n");
    REQUIRE(t->num_modes() == 8);
    for (double w : t->mode_weights()) CHECK(w == Approx(1.0 / 8));
    HostMatrix x("modes", 8, 6);
    for (int m = 0; m < 8; ++m)
      for (int j = 0; j < 6; ++j) x(m, j) = j < 3 ? ((m >> j) & 1 ? 10 : -10) : 0.5;
    const auto lab = mode_labels(*t, x);
    for (int m = 0; m < 8; ++m) CHECK(lab[m] == m);
    check_mode_frequencies(*t, 40000, 9);
    CHECK(build("name = expgauss\n")->num_modes() == 1024);
  }
  SECTION("|x_j| ~ N(c, 1/p_j) for bimodal coordinates, N(0, 1/p_j) otherwise") {
    const int n = 40000;
    const auto t = build("name = expgauss_unequal\ndim = 16\n");
    const auto& eg = static_cast<const ExpGauss&>(*t);
    auto x = exact_samples(*t, n, 5);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < 10; ++j) x(i, j) = std::abs(x(i, j));
    const auto s = moments(x);
    for (int j = 0; j < 16; ++j) {
      INFO("coordinate " << j);
      const double var = 1.0 / eg.precision(j);
      CHECK(eg.precision(j) == ((j < 5 || (j >= 10 && j < 15)) ? 2.0 : 1.0));
      CHECK(std::abs(s.mean[j] - (j < 10 ? 10.0 : 0.0)) < 5 * std::sqrt(var / n));
      CHECK(std::abs(s.cov[j * 16 + j] - var) < 5 * var * std::sqrt(2.0 / n));
    }
  }
}

TEST_CASE("ExpGauss deck errors", "[targets][expgauss]") {
  CHECK_THAT(input_error("name = expgauss\ndim = 4\nexpgauss_m = 5\n"), Catch::Contains("target.expgauss_m"));
  CHECK_THAT(input_error("name = expgauss_unequal\ndim = 12\n"), Catch::Contains("target.dim"));
  CHECK_THAT(input_error("name = expgauss_unequal\nexpgauss_m = 4\n"), Catch::Contains("target.expgauss_m"));
  CHECK_THAT(input_error("name = expgauss\nexpgauss_c = -1\n"), Catch::Contains("target.expgauss_c"));
}
