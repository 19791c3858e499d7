// Independence Metropolis–Hastings (samplers/flow_mcmc/IndependenceMh): with a fixed proposal
// of known density (a Gaussian stands in for the flow), the kernel must leave a 1-D bimodal
// target invariant and converge to it from a point mass. Checked with a χ² test of the
// histogram of many independent chains against the exact bin probabilities; a proposal
// that reports a WRONG density must fail the same test (the check has power).
#include <cmath>

#include "boltzflow/core/Rng.hpp"
#include "boltzflow/samplers/flow_mcmc/IndependenceMh.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;

namespace {
// ρ = 0.3 N(−2, 0.5²) + 0.7 N(1.5, 0.7²), normalised, written out by hand.
struct Bimodal1D : Target {
  static constexpr double w0 = 0.3, m0 = -2.0, s0 = 0.5, m1 = 1.5, s1 = 0.7;
  std::string name() const override { return "bimodal1d"; }
  int dim() const override { return 1; }
  static double density(double x) {
    const auto n = [](double x, double m, double s) {
      return std::exp(-0.5 * (x - m) * (x - m) / (s * s)) / (s * std::sqrt(2 * constants::pi));
    };
    return w0 * n(x, m0, s0) + (1 - w0) * n(x, m1, s1);
  }
  static double cdf(double x) {
    const auto c = [](double x, double m, double s) { return 0.5 * std::erfc(-(x - m) / (s * constants::sqrt2)); };
    return w0 * c(x, m0, s0) + (1 - w0) * c(x, m1, s1);
  }
  void gradient(const Particles& x, const Scalars& U, const Particles& g) const override {
    auto hx = Kokkos::create_mirror_view_and_copy(HostSpace(), x);
    auto hU = Kokkos::create_mirror_view(U);
    auto hg = Kokkos::create_mirror_view(g);
    for (std::size_t i = 0; i < hx.extent(0); ++i) {
      const double e = 1e-6, v = hx(i, 0);
      hU(i) = -std::log(density(v));
      hg(i, 0) = -(std::log(density(v + e)) - std::log(density(v - e))) / (2 * e);
    }
    Kokkos::deep_copy(U, hU);
    Kokkos::deep_copy(g, hg);
  }
  void energy(const Particles& x, const Scalars& U) const override {
    Particles g("g", x.extent(0), 1);
    gradient(x, U, g);
  }
  void laplacian(const Particles&, const Scalars&) const override {}
  bool has_sampler() const override { return true; }
  void sample(std::uint64_t seed, std::uint64_t first, const Particles& x) const override {
    auto h = Kokkos::create_mirror_view(x);
    const Rng rng(seed, Stream::exact_samples);
    for (std::size_t i = 0; i < h.extent(0); ++i) {
      const bool left = rng.uniform(first + i, 0, 0) < w0;
      h(i, 0) = left ? m0 + s0 * rng.normal(first + i, 0, 2) : m1 + s1 * rng.normal(first + i, 0, 2);
    }
    Kokkos::deep_copy(x, h);
  }
};

// Draws N(m, s²); reports the log-density of N(m, s_claim²) (s_claim = s: the honest proposal).
struct GaussianProposal : flow_mcmc::IndependenceProposal {
  double m, s, s_claim;
  GaussianProposal(double m_, double s_, double claim) : m(m_), s(s_), s_claim(claim) {}
  int dim() const override { return 1; }
  double logq(double x) const {
    return -0.5 * (x - m) * (x - m) / (s_claim * s_claim) - std::log(s_claim) - 0.5 * constants::log_2pi;
  }
  void sample(std::uint64_t seed, std::uint64_t first, std::uint32_t step, const Particles& x,
              const Scalars& lq) override {
    auto hx = Kokkos::create_mirror_view(x);
    auto hl = Kokkos::create_mirror_view(lq);
    const Rng rng(seed, Stream::flow_proposal);
    for (std::size_t i = 0; i < hx.extent(0); ++i) {
      hx(i, 0) = m + s * rng.normal(first + i, step, 0);
      hl(i) = logq(hx(i, 0));
    }
    Kokkos::deep_copy(x, hx);
    Kokkos::deep_copy(lq, hl);
  }
  void log_density(const Particles& x, const Scalars& lq) override {
    auto hx = Kokkos::create_mirror_view_and_copy(HostSpace(), x);
    auto hl = Kokkos::create_mirror_view(lq);
    for (std::size_t i = 0; i < hx.extent(0); ++i) hl(i) = logq(hx(i, 0));
    Kokkos::deep_copy(lq, hl);
  }
};

// χ² of the chains' final states against the exact probabilities of 20 bins on [−4, 4] plus
// the two tails (21 degrees of freedom).
double chi_square(const Particles& x) {
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), x);
  const int bins = 22;
  std::vector<double> count(bins, 0.0), edges(bins + 1);
  edges[0] = -1e300;
  edges[bins] = 1e300;
  for (int b = 1; b < bins; ++b) edges[b] = -4.0 + 8.0 * (b - 1) / (bins - 2);
  for (std::size_t i = 0; i < h.extent(0); ++i) {
    int b = 0;
    while (b < bins - 1 && h(i, 0) >= edges[b + 1]) ++b;
    count[b] += 1;
  }
  const double n = double(h.extent(0));
  double chi2 = 0;
  for (int b = 0; b < bins; ++b) {
    const double p = Bimodal1D::cdf(edges[b + 1]) - Bimodal1D::cdf(edges[b]);
    chi2 += (count[b] - n * p) * (count[b] - n * p) / (n * p);
  }
  return chi2;
}

double run_chains(GaussianProposal& q, bool from_exact, int steps, double* acceptance = nullptr) {
  Bimodal1D t;
  const std::size_t n = 20000;
  mcmc::ChainState s("chains", n, 1);
  if (from_exact)
    t.sample(5, 0, s.x);
  else
    Kokkos::deep_copy(s.x, 0.0);
  t.gradient(s.x, s.U, s.grad);
  Scalars lq("lq", n);
  q.log_density(s.x, lq);
  flow_mcmc::IndependenceWorkspace w(n, 1);
  std::int64_t acc = 0;
  for (int k = 1; k <= steps; ++k) acc += flow_mcmc::independence_mh_step(t, q, s, lq, w, 21, 0, k);
  if (acceptance) *acceptance = double(acc) / double(n * steps);
  // The carried U and log q stay those of the carried x.
  Scalars U2("U2", n), lq2("lq2", n);
  t.energy(s.x, U2);
  q.log_density(s.x, lq2);
  auto a = Kokkos::create_mirror_view_and_copy(HostSpace(), s.U);
  auto b = Kokkos::create_mirror_view_and_copy(HostSpace(), U2);
  auto c = Kokkos::create_mirror_view_and_copy(HostSpace(), lq);
  auto e = Kokkos::create_mirror_view_and_copy(HostSpace(), lq2);
  int bad = 0;
  for (std::size_t i = 0; i < n; ++i) bad += a(i) != b(i) || c(i) != e(i);
  CHECK(bad == 0);
  return chi_square(s.x);
}
}  // namespace

TEST_CASE("independence MH leaves a bimodal 1-D target invariant and converges to it", "[samplers][flow_mcmc]") {
  // 21 degrees of freedom: P(χ² > 50) ≈ 4e-4 for a correct kernel (the seeds are fixed).
  const double limit = 50.0;
  GaussianProposal honest(0.0, 2.5, 2.5);
  double acc = 0;
  const double chi_stationary = run_chains(honest, true, 10, &acc);
  INFO("chi2 from exact starts " << chi_stationary << ", acceptance " << acc);
  CHECK(chi_stationary < limit);
  CHECK(acc > 0.2);
  CHECK(acc < 0.9);
  // From a point mass at 0: max ρ/q ≈ 3, so the distance to ρ shrinks by ≈ 2/3 per move.
  const double chi_converged = run_chains(honest, false, 40);
  INFO("chi2 from x = 0 after 40 moves " << chi_converged);
  CHECK(chi_converged < limit);
  // The same draws with a density that is wrong by a factor exp(−x²(1/1.5² − 1/2.5²)/2):
  // the chains drift away from ρ, and the test sees it.
  GaussianProposal liar(0.0, 2.5, 1.5);
  const double chi_wrong = run_chains(liar, true, 10);
  INFO("chi2 with a wrong proposal density " << chi_wrong);
  CHECK(chi_wrong > 10 * limit);
}
