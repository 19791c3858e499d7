#include <cmath>
#include <vector>

#include "DistributedSample.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/metrics/Autocorrelation.hpp"
#include "boltzflow/metrics/SplitRhat.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;
using namespace boltzflow::metrics;
using testutil::local_chains;
using testutil::slice_of;
using Host = Matrix<Real, HostSpace>;

namespace {
// Stationary AR(1) chains x_{t+1} = φ x_t + √(1−φ²) ε_t, x_0 ~ N(0, 1): τ_int = (1+φ)/(1−φ).
Host ar1_chains(int steps, int chains, double phi, std::uint64_t seed) {
  const Rng rng(seed, Stream::mcmc_proposal);
  Host x("ar1", steps, chains);
  const double s = std::sqrt(1 - phi * phi);
  for (int c = 0; c < chains; ++c) {
    x(0, c) = rng.normal(c, 0, 0);
    for (int t = 1; t < steps; ++t) x(t, c) = phi * x(t - 1, c) + s * rng.normal(c, t, 0);
  }
  return x;
}
}  // namespace

TEST_CASE("autocorrelation equals a direct sum over all chains", "[metrics][iat][mpi]") {
  Comm comm;
  const int n = 50, m = 5, K = 12;
  const auto x = ar1_chains(n, m, 0.6, 3);
  double mu = 0;
  for (int t = 0; t < n; ++t)
    for (int c = 0; c < m; ++c) mu += x(t, c) / (n * m);
  std::vector<double> C(K + 1, 0.0);
  for (int k = 0; k <= K; ++k)
    for (int c = 0; c < m; ++c)
      for (int t = 0; t + k < n; ++t) C[k] += (x(t, c) - mu) * (x(t + k, c) - mu) / (n * m);
  for (const bool empty_last : {false, true}) {
    const auto rho = autocorrelation(comm, local_chains(x, slice_of(comm, m, empty_last)), K);
    REQUIRE(rho.size() == K + 1);
    for (int k = 0; k <= K; ++k) CHECK(rho[k] == Approx(C[k] / C[0]).epsilon(1e-12).margin(1e-14));
  }
}

TEST_CASE("IAT of AR(1) chains matches (1+φ)/(1−φ)", "[metrics][iat][mpi]") {
  Comm comm;
  const int n = 5000, m = 64;
  const double phi = 0.9, tau = (1 + phi) / (1 - phi);  // 19
  const auto local = local_chains(ar1_chains(n, m, phi, 11), slice_of(comm, m, true));
  for (const auto window : {IatWindow::geyer, IatWindow::sokal}) {
    const auto r = integrated_autocorrelation(comm, local, window);
    CHECK(r.converged);
    CHECK(r.draws == std::int64_t(n) * m);
    CHECK(r.chains == m);
    // Sokal's variance of the windowed estimator: 2(2W+1)/N_draws · τ²; 5σ.
    const double sd = tau * std::sqrt(2.0 * (2 * r.window + 1) / r.draws);
    CHECK(std::abs(r.tau - tau) < 5 * sd);
    CHECK(r.ess == Approx(r.draws / r.tau));
    CHECK(integrated_autocorrelation_time(comm, local, window) == r.tau);
  }
  // Sokal's window stops at the first W ≥ 5 τ(W).
  const auto s = integrated_autocorrelation(comm, local, IatWindow::sokal);
  CHECK(s.window >= 5 * s.tau);
  CHECK(s.window < 5 * s.tau + 5);
}

TEST_CASE("IAT of antithetic and independent chains (Geyer)", "[metrics][iat][mpi]") {
  Comm comm;
  const int n = 4000, m = 16;
  // φ = −0.5: τ = 1/3 (ESS above the number of draws); Geyer's pairs Γ_m stay positive.
  const auto anti = local_chains(ar1_chains(n, m, -0.5, 21), slice_of(comm, m));
  const auto a = integrated_autocorrelation(comm, anti);
  CHECK(std::abs(a.tau - 1.0 / 3) < 5 * (1.0 / 3) * std::sqrt(2.0 * (2 * a.window + 1) / a.draws));
  CHECK(a.ess > a.draws);
  const auto iid = local_chains(ar1_chains(n, m, 0.0, 22), slice_of(comm, m));
  const auto r = integrated_autocorrelation(comm, iid);
  CHECK(std::abs(r.tau - 1.0) < 5 * std::sqrt(2.0 * (2 * r.window + 1) / r.draws));
}

TEST_CASE("IAT of a constant observable is the worst case", "[metrics][iat][mpi]") {
  Comm comm;
  Host x("const", 100, 4);
  Kokkos::deep_copy(x, 2.5);
  const auto r = integrated_autocorrelation(comm, local_chains(x, slice_of(comm, 4)));
  CHECK(r.tau == 100.0);
  CHECK_FALSE(r.converged);
  CHECK(r.ess == Approx(4.0));
}

TEST_CASE("split-Rhat equals the direct formula", "[metrics][rhat][mpi]") {
  Comm comm;
  // 3 chains of 9 steps (odd: the middle draw is dropped), halves of 4.
  const int n = 9, m = 3;
  const auto x = ar1_chains(n, m, 0.3, 31);
  Host y("offset", n, m);
  for (int t = 0; t < n; ++t)
    for (int c = 0; c < m; ++c) y(t, c) = x(t, c) + 0.8 * c;  // chains disagree
  std::vector<double> means, vars;
  for (int c = 0; c < m; ++c)
    for (const int t0 : {0, 5}) {
      double s = 0, v = 0;
      for (int t = t0; t < t0 + 4; ++t) s += y(t, c);
      s /= 4;
      for (int t = t0; t < t0 + 4; ++t) v += (y(t, c) - s) * (y(t, c) - s) / 3;
      means.push_back(s);
      vars.push_back(v);
    }
  double W = 0, grand = 0, B = 0;
  for (int j = 0; j < 2 * m; ++j) W += vars[j] / (2 * m), grand += means[j] / (2 * m);
  for (int j = 0; j < 2 * m; ++j) B += 4 * (means[j] - grand) * (means[j] - grand) / (2 * m - 1);
  const double rhat = std::sqrt((0.75 * W + B / 4) / W);
  REQUIRE(rhat > 1.1);
  for (const bool empty_last : {false, true})
    CHECK(split_rhat(comm, local_chains(y, slice_of(comm, m, empty_last))) == Approx(rhat).epsilon(1e-12));
  // Well-mixed chains: R̂ close to 1.
  const auto mixed = local_chains(ar1_chains(2000, 8, 0.5, 32), slice_of(comm, 8));
  CHECK(std::abs(split_rhat(comm, mixed) - 1.0) < 0.01);
}
