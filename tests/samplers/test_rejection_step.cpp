// Importance rejection step of nJKO-IC: the fitted constant c against a brute-force search and
// the density update against the closed form of a 1-D Gaussian model and Gaussian target.
#include <algorithm>
#include <cmath>
#include <vector>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/samplers/Sampler.hpp"
#include "boltzflow/samplers/neural_jko/RejectionConstant.hpp"
#include "boltzflow/samplers/neural_jko/RejectionStep.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;
using namespace boltzflow::neural_jko;

namespace {

double Phi(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// Model p = N(0, s²); target ρ̃ = K·N(m, 1), i.e. U = (x − m)²/2 + ½ log 2π − log K.
struct GaussPair {
  double s = 2.0, m = 1.0, logK = 0.3;
  double log_p(double x) const { return -x * x / (2 * s * s) - 0.5 * std::log(2 * M_PI * s * s); }
  double U(double x) const { return 0.5 * (x - m) * (x - m) + 0.5 * std::log(2 * M_PI) - logK; }
  double lambda(double x) const { return -U(x) - log_p(x); }
  double alpha(double x, double log_c) const { return std::min(1.0, std::exp(lambda(x) - log_c)); }
  // r(log c) = 1 − ∫ p α in closed form: λ − log c = A x² + B x + C is a concave quadratic
  // (s > 1), so {α = 1} = [x1, x2] and α = ρ̃/(c p) outside.
  double rejection(double log_c) const {
    const double A = 1.0 / (2 * s * s) - 0.5, B = m, C = logK - 0.5 * m * m + std::log(s) - log_c;
    const double disc = B * B - 4 * A * C;
    double inside_p = 0, inside_t = 0;
    if (disc > 0) {
      const double r1 = (-B + std::sqrt(disc)) / (2 * A), r2 = (-B - std::sqrt(disc)) / (2 * A);
      const double x1 = std::min(r1, r2), x2 = std::max(r1, r2);
      inside_p = Phi(x2 / s) - Phi(x1 / s);
      inside_t = Phi(x2 - m) - Phi(x1 - m);
    }
    const double accepted = inside_p + std::exp(logK - log_c) * (1.0 - inside_t);
    return 1.0 - accepted;
  }
};

struct PairTarget : Target {
  GaussPair g;
  std::string name() const override { return "gauss_pair"; }
  int dim() const override { return 1; }
  void energy(const Particles& x, const Scalars& U) const override {
    auto hx = Kokkos::create_mirror_view_and_copy(HostSpace(), x);
    auto hU = Kokkos::create_mirror_view(U);
    for (std::size_t i = 0; i < hx.extent(0); ++i) hU(i) = g.U(hx(i, 0));
    Kokkos::deep_copy(U, hU);
  }
  void gradient(const Particles&, const Scalars&, const Particles&) const override {}
  void laplacian(const Particles&, const Scalars&) const override {}
};

// n draws of N(0, s²) with exact energies, keyed by global ids first..first+n−1 at `step`.
Batch model_draws(const GaussPair& g, std::int64_t n, std::uint64_t first, std::uint32_t step) {
  Batch b(n, 1);
  auto hx = Kokkos::create_mirror_view(b.x);
  auto he = Kokkos::create_mirror_view(b.e);
  const Rng rng(5, Stream::exact_samples);
  for (std::int64_t i = 0; i < n; ++i) {
    hx(i, 0) = g.s * rng.normal(first + i, step, 0);
    he(i) = -g.log_p(hx(i, 0));
  }
  Kokkos::deep_copy(b.x, hx);
  Kokkos::deep_copy(b.e, he);
  return b;
}

// Simpson's rule on [a, b] with n (even) intervals.
template <class F>
double simpson(F f, double a, double b, int n) {
  const double h = (b - a) / n;
  double s = f(a) + f(b);
  for (int k = 1; k < n; ++k) s += f(a + k * h) * (k % 2 ? 4 : 2);
  return s * h / 3;
}

std::vector<double> gather(const Comm& comm, const Scalars& v) {
  HostParticles local("local", v.extent(0), 1);
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), v);
  for (std::size_t i = 0; i < h.extent(0); ++i) local(i, 0) = h(i);
  auto all = comm.allgather_rows(local);
  std::vector<double> out(all.extent(0));
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = all(i, 0);
  return out;
}

double host_rate(const std::vector<double>& lambda, double log_c) {
  double s = 0;
  for (double l : lambda) s += 1.0 - std::min(1.0, std::exp(l - log_c));
  return s / double(lambda.size());
}

}  // namespace

TEST_CASE("rejection constant: bisection agrees with a brute-force grid search", "[samplers][neural_jko][mpi]") {
  Comm comm;
  const std::int64_t N = 5001;
  const auto dec = Decomposition::even(comm, N);
  for (double shift : {0.0, 60.0, -45.0}) {
    // Skewed log-ratios (a Gumbel-like left tail), identical for every rank count.
    Scalars lambda("lambda", dec.local);
    auto h = Kokkos::create_mirror_view(lambda);
    const Rng rng(3, Stream::metrics);
    for (std::int64_t i = 0; i < dec.local; ++i) {
      const double z = rng.normal(dec.offset + i, 0, 0);
      h(i) = shift + 1.5 * z - 0.4 * z * z;
    }
    Kokkos::deep_copy(lambda, h);
    const auto all = gather(comm, lambda);
    REQUIRE(std::int64_t(all.size()) == N);
    for (double target : {0.02, 0.2, 0.5, 0.93}) {
      const auto fit = fit_log_c(comm, lambda, target);
      // Brute force: with λ sorted, on [λ_(k), λ_(k+1)] R(log c) = (k − e^{−log c} S_k)/N exactly,
      // S_k = Σ_{i≤k} e^{λ_(i)}; solve every segment and keep the one containing its root.
      auto sorted = all;
      std::sort(sorted.begin(), sorted.end());
      const double ref = sorted.back();
      double grid_root = NAN, S = 0, slope = NAN;
      for (std::int64_t k = 1; k <= N && std::isnan(grid_root); ++k) {
        S += std::exp(sorted[k - 1] - ref);  // scaled by e^{−ref}
        const double need = double(k) - N * target;
        if (need <= 0) continue;
        const double c = ref + std::log(S / need);
        const double right = k < N ? sorted[k] : INFINITY;
        if (c >= sorted[k - 1] && c <= right) {
          grid_root = c;
          slope = need / double(N);  // dR/dlog c = e^{−log c} S_k / N
        }
      }
      REQUIRE(std::isfinite(grid_root));
      CHECK(std::abs(host_rate(all, fit.log_c) - target) < 1e-4);
      CHECK(std::abs(fit.rate - host_rate(all, fit.log_c)) < 1e-12);
      // |R(fit) − target| < 1e-4, so |Δ log c| is at most about 1e-4 / slope.
      CHECK(std::abs(fit.log_c - grid_root) < 2e-4 / slope);
      // Every rank got the identical answer.
      CHECK(comm.max(fit.log_c) == comm.min(fit.log_c));
      // Same as a single-rank fit on the gathered values (only the summation order differs).
      Comm self(MPI_COMM_SELF);
      Scalars lall("lall", all.size());
      auto hl = Kokkos::create_mirror_view(lall);
      for (std::size_t i = 0; i < all.size(); ++i) hl(i) = all[i];
      Kokkos::deep_copy(lall, hl);
      const auto serial = fit_log_c(self, lall, target);
      CHECK(std::abs(serial.log_c - fit.log_c) < 1e-9);
    }
  }
}

TEST_CASE("rejection step: density update matches the 1-D Gaussian closed form", "[samplers][neural_jko][mpi]") {
  Comm comm;
  PairTarget t;
  const GaussPair& g = t.g;
  const std::int64_t N = 200000;
  const auto dec = Decomposition::even(comm, N);
  Batch b = model_draws(g, dec.local, dec.offset, 0);
  Scalars U("U", dec.local), lambda("lambda", dec.local);
  log_ratio(t, b, U, lambda);

  const auto fit = fit_log_c(comm, lambda, 0.2);
  const RejectionParams p{fit.log_c, fit.rate};
  CHECK(std::abs(p.r_hat - 0.2) < 1e-4);
  // r̂ is a sample mean of 1 − α; the closed form is its expectation (5 standard errors).
  const double r_true = g.rejection(p.log_c);
  const double sd = std::sqrt(r_true * (1 - r_true) / double(N));  // 1 − α ∈ [0,1]: Var ≤ r(1 − r)
  CHECK(std::abs(p.r_hat - r_true) < 5 * sd);
  // The post-rejection density (α + r̂)·p integrates to 1 − r + r̂ (quadrature vs closed form).
  const double mass = simpson([&](double x) { return (g.alpha(x, p.log_c) + p.r_hat) * std::exp(g.log_p(x)); }, -30, 30, 600000);
  CHECK(std::abs(mass - (1 - r_true + p.r_hat)) < 1e-6);
  CHECK(std::abs(mass - 1) < 5 * sd);

  // Resample: fresh N(0, s²) draws keyed by rank-disjoint ids at another step.
  std::int64_t calls = 0;
  const Proposer propose = [&](std::int64_t n) {
    ++calls;
    return model_draws(g, n, std::uint64_t(comm.rank()) * N, 1);
  };
  Batch before = copy_rows(b, 0, b.size());
  const auto outcome = apply_rejection(t, p, 11, 7, dec.offset, b, U, lambda, propose);
  const double rejected = double(comm.sum(outcome.rejected)) / double(N);
  CHECK(std::abs(rejected - r_true) < 5 * sd);
  CHECK(calls <= 1);

  // Tracked energies: e = −log((α + r̂) p) at every final point; U and λ refreshed there.
  auto hx = Kokkos::create_mirror_view_and_copy(HostSpace(), b.x);
  auto he = Kokkos::create_mirror_view_and_copy(HostSpace(), b.e);
  auto hU = Kokkos::create_mirror_view_and_copy(HostSpace(), U);
  auto hl = Kokkos::create_mirror_view_and_copy(HostSpace(), lambda);
  auto hx0 = Kokkos::create_mirror_view_and_copy(HostSpace(), before.x);
  double max_err = 0;
  std::int64_t moved = 0;
  for (std::int64_t i = 0; i < b.size(); ++i) {
    const double x = hx(i, 0);
    const double expect = -std::log(g.alpha(x, p.log_c) + p.r_hat) - g.log_p(x);
    max_err = std::max({max_err, std::abs(he(i) - expect), std::abs(hU(i) - g.U(x)), std::abs(hl(i) - g.lambda(x))});
    moved += hx0(i, 0) != x;
  }
  CHECK(comm.max(max_err) < 1e-10);
  CHECK(comm.sum(moved) == comm.sum(outcome.rejected));

  // Histogram of the resampled draws against the bin masses of (α + r)·p: χ² with 40 bins.
  const int bins = 40;
  const double a = -5, w = 0.25;
  HostScalars hist("hist", bins + 1);  // last entry: outside [a, a + 40 w)
  for (std::int64_t i = 0; i < b.size(); ++i) {
    const int k = int(std::floor((hx(i, 0) - a) / w));
    hist(k >= 0 && k < bins ? k : bins) += 1;
  }
  comm.allreduce_sum(hist);
  double chi2 = 0, inside = 0;
  for (int k = 0; k < bins; ++k) {
    const double pk = simpson([&](double x) { return (g.alpha(x, p.log_c) + r_true) * std::exp(g.log_p(x)); }, a + k * w,
                              a + (k + 1) * w, 400);
    inside += pk;
    chi2 += (hist(k) - N * pk) * (hist(k) - N * pk) / (N * pk);
  }
  const double pout = 1 - inside;
  chi2 += (hist(bins) - N * pout) * (hist(bins) - N * pout) / (N * pout);
  // 40 degrees of freedom: mean 40, sd 9; the bound is ~7 sd.
  CHECK(chi2 < 40 + 7 * std::sqrt(80.0));
  // And it is NOT the proposal density: the same χ² against p alone is far off.
  double chi2_p = 0;
  for (int k = 0; k < bins; ++k) {
    const double pk = Phi((a + (k + 1) * w) / g.s) - Phi((a + k * w) / g.s);
    chi2_p += (hist(k) - N * pk) * (hist(k) - N * pk) / (N * pk);
  }
  CHECK(chi2_p > 1000);
}
