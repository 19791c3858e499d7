// Truncated normal (targets.md §5): derivatives vs finite differences outside the ball, log Z vs
// the spec's constants, the χ² tail and quadrature, exact samples vs the truncated χ² moments.
#include "TargetTestSupport.hpp"
#include "boltzflow/core/Math.hpp"
#include "boltzflow/targets/TruncatedNormal.hpp"

using namespace boltzflow;
using namespace boltzflow::test;

TEST_CASE("truncated normal gradient and Laplacian match finite differences outside the ball", "[targets][truncnorm]") {
  for (int d : {2, 5}) {
    const auto t = build("name = truncated_normal\ndim = " + std::to_string(d) + "\ntruncation_radius = 2\n");
    check_derivatives(*t, random_points(5, d, 0.5, 3, 3));
  }
}

TEST_CASE("truncated normal log Z: spec constants, χ² tails, quadrature", "[targets][truncnorm]") {
  CHECK(build("name = truncated_normal\n")->log_z() == Approx(-16.162123).margin(1e-6));
  CHECK(build("name = truncated_normal\ndim = 5\n")->log_z() == Approx(-9.272310).margin(1e-6));
  // Closed forms: Q(1, t/2) = e^{−t/2}; Q(2, t/2) = e^{−t/2}(1 + t/2); d = 3: erfc(√(t/2)) + √(2t/π) e^{−t/2}.
  for (double t : {0.5, 4.0, 36.0, 100.0}) {
    CHECK(log_chi2_tail(2, t) == Approx(-t / 2).margin(1e-10));
    CHECK(log_chi2_tail(4, t) == Approx(-t / 2 + std::log1p(t / 2)).margin(1e-10));
    CHECK(log_chi2_tail(3, t) ==
          Approx(std::log(std::erfc(std::sqrt(t / 2)) + std::sqrt(2 * t / constants::pi) * std::exp(-t / 2))).margin(1e-9));
  }
  // The midpoint rule resolves the hard edge only to O(h): a fine grid and a 1e-3 margin.
  const auto t = build("name = truncated_normal\ntruncation_radius = 2\n");
  CHECK(t->log_z() == Approx(std::log(2 * constants::pi) - 2).margin(1e-12));
  CHECK(log_z_box(*t, -7, 7, -7, 7, 2800, 2800) == Approx(t->log_z()).margin(1e-3));
  const auto inside = energies(*t, random_points(3, 2, 0.3, 0, 5));
  for (double u : inside) CHECK(std::isinf(u));
}

TEST_CASE("truncated normal exact samples lie outside and have E|x|² of the truncated χ²", "[targets][truncnorm]") {
  const int n = 40000;
  for (int d : {2, 5}) {
    INFO("d = " << d);
    const auto t = build("name = truncated_normal\ndim = " + std::to_string(d) + "\ntruncation_radius = 3\n");
    const auto x = exact_samples(*t, n, 4);
    double r2 = 0, r4 = 0, inside = 0;
    std::vector<double> m(d, 0.0);
    for (int i = 0; i < n; ++i) {
      double s = 0;
      for (int j = 0; j < d; ++j) {
        s += x(i, j) * x(i, j);
        m[j] += x(i, j) / n;
      }
      r2 += s / n;
      r4 += s * s / n;
      inside += s <= 9;
    }
    CHECK(inside == 0);
    // E[|x|² | |x|² > 9] by 1-D quadrature of the χ²_d density.
    double num = 0, den = 0;
    for (int k = 0; k < 200000; ++k) {
      const double s = 9 + (k + 0.5) * 1e-4;
      const double w = std::pow(s, 0.5 * d - 1) * std::exp(-0.5 * s);
      num += s * w;
      den += w;
    }
    CHECK(std::abs(r2 - num / den) < 5 * std::sqrt((r4 - r2 * r2) / n));
    for (int j = 0; j < d; ++j) CHECK(std::abs(m[j]) < 5 * std::sqrt(r2 / d / n));  // isotropic: mean 0
  }
}

TEST_CASE("truncated normal deck errors", "[targets][truncnorm]") {
  CHECK_THAT(input_error("name = truncated_normal\ndim = 1\n"), Catch::Contains("target.dim"));
  CHECK_THAT(input_error("name = truncated_normal\ndim = 20\ntruncation_radius = 2\n"),
             Catch::Contains("target.truncation_radius"));
}
