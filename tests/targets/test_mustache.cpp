// Mustache (targets.md §7): derivatives vs finite differences, log Z = 0 by quadrature in the
// straightened coordinates y = T(x) (det ∂T = 1), exact samples: T(x) ~ N(0, Σ) and E x_1 = 2.
#include "TargetTestSupport.hpp"

using namespace boltzflow;
using namespace boltzflow::test;

TEST_CASE("mustache gradient and Laplacian match finite differences", "[targets][mustache]") {
  check_derivatives(*build("name = mustache\n"), random_points(6, 2, 1, 0, 3));
}

TEST_CASE("mustache log Z = 0 by quadrature over y with x = T⁻¹(y)", "[targets][mustache]") {
  const auto t = build("name = mustache\n");
  const int m = 1000;
  const double L = 9, h = 2 * L / m;
  HostMatrix x("grid", std::size_t(m) * m, 2);
  for (int p = 0; p < m; ++p)
    for (int q = 0; q < m; ++q) {
      const double y0 = -L + (p + 0.5) * h, y1 = -L + (q + 0.5) * h;
      x(std::size_t(p) * m + q, 0) = y0;
      x(std::size_t(p) * m + q, 1) = y1 + (y0 * y0 - 1) * (y0 * y0 - 1);
    }
  auto U = energies(*t, x);
  for (auto& u : U) u = -u;
  CHECK(log_sum_exp(U, 2 * std::log(h)) == Approx(t->log_z()).margin(1e-6));
}

TEST_CASE("mustache exact samples: T(x) ~ N(0, [[1, .9], [.9, 1]]), E x_1 = 2", "[targets][mustache]") {
  const int n = 40000;
  auto x = exact_samples(*build("name = mustache\n"), n, 3);
  double m1 = 0, m1sq = 0;
  for (int i = 0; i < n; ++i) {
    m1 += x(i, 1) / n;
    m1sq += x(i, 1) * x(i, 1) / n;
  }
  // E x_1 = E y_1 + E (y_0² − 1)² = 0 + 3 − 2 + 1 = 2.
  CHECK(std::abs(m1 - 2.0) < 5 * std::sqrt((m1sq - m1 * m1) / n));
  for (int i = 0; i < n; ++i) x(i, 1) -= (x(i, 0) * x(i, 0) - 1) * (x(i, 0) * x(i, 0) - 1);
  const auto s = moments(x);
  CHECK(std::abs(s.mean[0]) < 5 / std::sqrt(n));
  CHECK(std::abs(s.mean[1]) < 5 / std::sqrt(n));
  const double se = 5 * std::sqrt(2.0 / n);
  CHECK(s.cov[0] == Approx(1.0).margin(se));
  CHECK(s.cov[3] == Approx(1.0).margin(se));
  CHECK(s.cov[1] == Approx(0.9).margin(se));
}
