// Concentric rings (targets.md §2.6): derivatives vs finite differences, log Z ≈ 0 vs quadrature,
// exact samples vs closed-form radial moments, ring labels.
#include "TargetTestSupport.hpp"

using namespace boltzflow;
using namespace boltzflow::test;

TEST_CASE("rings gradient and Laplacian match finite differences", "[targets][rings]") {
  check_derivatives(*build("name = rings\n"), random_points(6, 2, 1.5, 0.4, 3));
}

TEST_CASE("rings log Z ≈ 0 agrees with quadrature", "[targets][rings]") {
  const auto t = build("name = rings\n");
  CHECK(log_z_box(*t, -6, 6, -6, 6, 800, 800) == Approx(t->log_z()).margin(1e-4));
  const auto wide = build("name = rings\nrings_k = 2\nrings_r = 3\nrings_sigma = 0.5\n");
  CHECK(log_z_box(*wide, -12, 12, -12, 12, 800, 800) == Approx(0.0).margin(1e-4));
}

TEST_CASE("rings exact samples and labels", "[targets][rings]") {
  const auto t = build("name = rings\n");
  REQUIRE(t->num_modes() == 4);
  SECTION("labels: the nearest ring radius kR, label k − 1") {
    HostMatrix x("pts", 6, 2);
    const double r[6] = {0.7, 1.2, 2.4, 2.6, 3.1, 4.8}, th[6] = {0, 1, 2, 3, 4, 5};
    const int want[6] = {0, 0, 1, 2, 2, 3};
    for (int i = 0; i < 6; ++i) {
      x(i, 0) = r[i] * std::cos(th[i]);
      x(i, 1) = r[i] * std::sin(th[i]);
    }
    const auto lab = mode_labels(*t, x);
    for (int i = 0; i < 6; ++i) CHECK(lab[i] == want[i]);
  }
  SECTION("ring frequencies 1/K; E r = R(K+1)/2, Var r = σ² + R²(K²−1)/12; uniform angle") {
    check_mode_frequencies(*t, 40000, 9);
    const int n = 40000;
    const auto x = exact_samples(*t, n, 7);
    double mr = 0, mr2 = 0, mc = 0, ms = 0;
    for (int i = 0; i < n; ++i) {
      const double r = std::hypot(x(i, 0), x(i, 1));
      mr += r / n;
      mr2 += r * r / n;
      mc += x(i, 0) / r / n;
      ms += x(i, 1) / r / n;
    }
    const double var = 0.15 * 0.15 + 15.0 / 12;
    CHECK(std::abs(mr - 2.5) < 5 * std::sqrt(var / n));
    CHECK(std::abs(mr2 - mr * mr - var) < 5 * var * std::sqrt(2.0 / n) * 1.5);
    CHECK(std::abs(mc) < 5 * std::sqrt(0.5 / n));
    CHECK(std::abs(ms) < 5 * std::sqrt(0.5 / n));
  }
}

TEST_CASE("rings deck errors", "[targets][rings]") {
  CHECK_THAT(input_error("name = rings\nrings_k = 0\n"), Catch::Contains("target.rings_k"));
  CHECK_THAT(input_error("name = rings\nrings_sigma = 0\n"), Catch::Contains("target.rings_sigma"));
  CHECK_THAT(input_error("name = rings\ndim = 3\n"), Catch::Contains("target.dim"));
}
