// LGCP on the Finnish pines (targets.md §10): derivatives vs finite differences, the binning,
// K⁻¹ and log det(2πK) against independent computations, the energy against its formula, and
// the score identity on counts drawn from the model itself.
#include <cmath>
#include <random>

#include "TargetTestSupport.hpp"
#include "boltzflow/targets/Lgcp.hpp"

using namespace boltzflow;
using namespace boltzflow::test;

namespace {

// log det of a dense matrix by Gaussian elimination with partial pivoting (independent of the
// target's Cholesky).
double log_det_lu(std::vector<double> A, int n) {
  double s = 0;
  for (int k = 0; k < n; ++k) {
    int p = k;
    for (int i = k + 1; i < n; ++i)
      if (std::abs(A[i * n + k]) > std::abs(A[p * n + k])) p = i;
    for (int j = 0; j < n; ++j) std::swap(A[k * n + j], A[p * n + j]);
    s += std::log(std::abs(A[k * n + k]));
    for (int i = k + 1; i < n; ++i) {
      const double f = A[i * n + k] / A[k * n + k];
      for (int j = k; j < n; ++j) A[i * n + j] -= f * A[k * n + j];
    }
  }
  return s;
}

}  // namespace

TEST_CASE("lgcp gradient and Laplacian match finite differences", "[targets][lgcp]") {
  const auto t = build("name = lgcp\nlgcp_grid = 4\n");
  REQUIRE(t->dim() == 16);
  check_derivatives(*t, random_points(4, 16, 0.7, 3.5, 11));
}

TEST_CASE("lgcp bins the pines as annealed_flow_transport does; prior constants", "[targets][lgcp]") {
  const Lgcp hand({{0.0, 0.0}, {1.0, 1.0}, {0.5, 0.25}, {0.99, 0.01}}, 2, "test");
  CHECK(hand.counts() == std::vector<double>{1, 0, 2, 1});  // (row ⌊2u⌋, column ⌊2v⌋), edges inward
  CHECK(hand.mu0() == Approx(std::log(4.0) - 0.5 * 1.91));
  CHECK(hand.cell_area() == 0.25);
  const auto pines = build("name = lgcp\nlgcp_grid = 10\n");
  const auto* lg = dynamic_cast<const Lgcp*>(pines.get());
  REQUIRE(lg);
  double total = 0;
  for (double c : lg->counts()) total += c;
  CHECK(total == 126);
  CHECK(lg->mu0() == Approx(std::log(126.0) - 0.955));
  CHECK_THROWS_WITH(Lgcp({{0.5, 1.5}}, 2, "target.lgcp_data"), Catch::Contains("target.lgcp_data"));
  CHECK_THROWS_WITH(build("name = lgcp\nlgcp_data = no_such_points.csv\n"), Catch::Contains("target.lgcp_data"));
  CHECK_THROWS_WITH(build("name = lgcp\nlgcp_grid = 4\ndim = 10\n"), Catch::Contains("target.dim"));
}

TEST_CASE("lgcp precision, log det and energy against independent computations", "[targets][lgcp]") {
  const int M = 5, d = M * M;
  const Lgcp t({{0.1, 0.1}, {0.3, 0.9}, {0.31, 0.88}, {0.7, 0.5}}, M, "test");
  std::vector<double> K(d * d);
  for (int i = 0; i < d; ++i)
    for (int j = 0; j < d; ++j) {
      const double dr = i / M - j / M, dc = i % M - j % M;
      K[i * d + j] = 1.91 * std::exp(-std::sqrt(dr * dr + dc * dc) * 33.0 / M);  // σ² e^{−‖Δc‖/(Mβ)}
      CHECK(t.covariance(i, j) == Approx(K[i * d + j]).epsilon(1e-14));
    }
  const auto& P = t.precision();
  double worst = 0;
  for (int i = 0; i < d; ++i)
    for (int j = 0; j < d; ++j) {
      double s = 0;
      for (int k = 0; k < d; ++k) s += K[i * d + k] * P[k * d + j];
      worst = std::max(worst, std::abs(s - (i == j)));
    }
  CHECK(worst < 1e-10);
  CHECK(t.log_det_2pi_k() == Approx(log_det_lu(K, d) + d * std::log(2 * M_PI)).epsilon(1e-12));

  const auto hx = random_points(3, d, 0.8, 0.5, 7);
  const auto U = energies(t, hx);
  for (int n = 0; n < 3; ++n) {
    double quad = 0, like = 0;
    for (int i = 0; i < d; ++i) {
      for (int j = 0; j < d; ++j) quad += (hx(n, i) - t.mu0()) * P[i * d + j] * (hx(n, j) - t.mu0());
      like += t.counts()[i] * hx(n, i) - t.cell_area() * std::exp(hx(n, i));
    }
    CHECK(U[n] == Approx(0.5 * quad + 0.5 * t.log_det_2pi_k() - like).epsilon(1e-12));
  }
}

TEST_CASE("lgcp on counts drawn from the model: the likelihood score has mean zero", "[targets][lgcp]") {
  // Points drawn from a Poisson process with log-intensity f* per cell (uniform inside each cell):
  // E[n_i] = a e^{f*_i}, so the likelihood part of the gradient, ∇U − K⁻¹(f* − μ0) = a e^{f*} − n,
  // averages to zero with standard error √(a e^{f*}/reps) per cell.
  const int M = 3, d = M * M, reps = 400;
  std::vector<double> fstar(d);
  for (int i = 0; i < d; ++i) fstar[i] = std::log(4.0 * d) + 0.3 * std::sin(1.7 * i);  // a e^{f*} ≈ 4
  std::mt19937_64 gen(42);
  std::uniform_real_distribution<double> unif(0.0, 1.0);
  std::vector<double> mean(d, 0.0);
  HostMatrix hx("fstar", 1, d);
  for (int i = 0; i < d; ++i) hx(0, i) = fstar[i];
  for (int r = 0; r < reps; ++r) {
    std::vector<std::array<double, 2>> pts;
    for (int i = 0; i < d; ++i) {
      std::poisson_distribution<int> pois(std::exp(fstar[i]) / d);
      for (int k = pois(gen); k > 0; --k) pts.push_back({(i / M + unif(gen)) / M, (i % M + unif(gen)) / M});
    }
    if (pts.empty()) continue;
    const Lgcp t(pts, M, "test");
    HostMatrix g;
    gradients(t, hx, g);
    const auto& P = t.precision();
    for (int i = 0; i < d; ++i) {
      double prior = 0;
      for (int j = 0; j < d; ++j) prior += P[i * d + j] * (fstar[j] - t.mu0());
      mean[i] += (g(0, i) - prior) / reps;
    }
  }
  for (int i = 0; i < d; ++i) {
    const double se = std::sqrt(std::exp(fstar[i]) / d / reps);
    INFO("cell " << i << ": mean score " << mean[i] << ", standard error " << se);
    CHECK(std::abs(mean[i]) < 4 * se);
  }
}
