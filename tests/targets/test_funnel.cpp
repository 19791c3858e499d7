// Neal's funnel (targets.md §4): derivatives vs finite differences, log Z = 0 vs quadrature,
// ancestral samples vs closed-form moments.
#include "TargetTestSupport.hpp"

using namespace boltzflow;
using namespace boltzflow::test;

TEST_CASE("funnel gradient and Laplacian match finite differences", "[targets][funnel]") {
  check_derivatives(*build("name = funnel\ndim = 5\nfunnel_sigma = 0.9\n"), random_points(5, 5, 1, 0, 3));
  check_derivatives(*build("name = funnel\n"), random_points(5, 10, 1.5, 0, 4));
}

TEST_CASE("funnel log Z = 0 agrees with quadrature", "[targets][funnel]") {
  for (const double sigma : {0.9, 1.5}) {
    const auto t = build("name = funnel\ndim = 2\nfunnel_sigma = " + std::to_string(sigma) + "\n");
    REQUIRE(t->has_log_z());
    CHECK(log_z_box(*t, -8 * sigma, 8 * sigma, -40, 40, 600, 2000) == Approx(t->log_z()).margin(2e-4));
  }
}

TEST_CASE("funnel exact samples: x_0 ~ N(0, σ²), E x_i² = e^{σ²/2}, E x_i⁴ = 3 e^{2σ²}", "[targets][funnel]") {
  const int n = 60000;
  const double s = 0.9;
  const auto x = exact_samples(*build("name = funnel\ndim = 3\nfunnel_sigma = 0.9\n"), n, 2);
  double m0 = 0, v0 = 0, v1 = 0, v2 = 0, c12 = 0;
  for (int i = 0; i < n; ++i) {
    m0 += x(i, 0) / n;
    v0 += x(i, 0) * x(i, 0) / n;
    v1 += x(i, 1) * x(i, 1) / n;
    v2 += x(i, 2) * x(i, 2) / n;
    c12 += x(i, 1) * x(i, 2) / n;
  }
  const double e2 = std::exp(s * s / 2), var_x2 = 3 * std::exp(2 * s * s) - e2 * e2;  // Var x_i² = E x⁴ − (E x²)²
  CHECK(std::abs(m0) < 5 * s / std::sqrt(n));
  CHECK(std::abs(v0 - s * s) < 5 * s * s * std::sqrt(2.0 / n));
  CHECK(std::abs(v1 - e2) < 5 * std::sqrt(var_x2 / n));
  CHECK(std::abs(v2 - e2) < 5 * std::sqrt(var_x2 / n));
  CHECK(std::abs(c12) < 5 * std::sqrt(std::exp(2 * s * s) / n));  // E x_1²x_2² = E e^{2x_0}
}

TEST_CASE("funnel deck errors", "[targets][funnel]") {
  CHECK_THAT(input_error("name = funnel\ndim = 1\n"), Catch::Contains("target.dim"));
  CHECK_THAT(input_error("name = funnel\nfunnel_sigma = 0\n"), Catch::Contains("target.funnel_sigma"));
}
