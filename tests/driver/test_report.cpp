// The ManyWell sign-balance metrics of the end-of-run report (positive_fraction_*), on exact
// target samples and on a hand-built sample set; the forward weights (EUBO) of a model density
// at the exact reference samples.
#include <cmath>
#include <map>
#include <string>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Math.hpp"
#include "boltzflow/driver/Report.hpp"
#include "boltzflow/driver/Schema.hpp"
#include "boltzflow/targets/GaussianMixture.hpp"
#include "boltzflow/targets/ManyWell.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;

namespace {
std::map<std::string, double> values_of(const Report& r) { return {r.values.begin(), r.values.end()}; }

// Metrics options with a small reference set and no pair metrics (they are not under test here).
config::Options small_metrics() {
  return config::Options::parse(full_schema(), "[metrics]\nreference_samples = 200\nexact_max = 0\ndirections = 4\n", {});
}

SampleSet sample_set(const Comm& comm, const Target& t, std::int64_t n) {
  SampleSet s;
  s.dec = Decomposition::even(comm, n);
  s.x = Particles("x", s.dec.local, t.dim());
  s.U = Scalars("U", s.dec.local);
  s.log_q = Scalars("log_q", s.dec.local);
  return s;
}
}  // namespace

TEST_CASE("ManyWell report: positive fractions of exact samples match the well mass", "[driver][report][mpi]") {
  Comm comm;
  const ManyWell mw(12);  // 6 double-well coordinates
  const std::int64_t n = 20000;
  auto s = sample_set(comm, mw, n);
  mw.sample(17, s.dec.offset, s.x);
  mw.energy(s.x, s.U);
  // The exact density as the sampler's log q: every importance weight is Z, so the weighted
  // fraction equals the plain one and the IS log Z is exact.
  const auto U = s.U, lq = s.log_q;
  const double log_z = mw.log_z();
  Kokkos::parallel_for(
      "test::exact_log_q", Kokkos::RangePolicy<ExecSpace>(0, s.dec.local), KOKKOS_LAMBDA(const int i) { lq(i) = -U(i) - log_z; });
  s.has_log_q = true;
  const auto v = values_of(compute_report(comm, small_metrics(), mw, s, 3));
  const double p = mw.positive_well_mass();
  CHECK(p == Approx(0.844307).margin(1e-6));
  CHECK(v.at("positive_fraction_exact") == p);
  // Binomial tolerance: one coordinate's fraction has σ = sqrt(p(1−p)/N) = 0.00257; min and max within
  // 4.5σ (all 6 inside with probability > 0.9999), the mean of 6 independent ones within 4.5σ/sqrt(6).
  const double sigma = std::sqrt(p * (1 - p) / double(n));
  CHECK(std::abs(v.at("positive_fraction_min") - p) < 4.5 * sigma);
  CHECK(std::abs(v.at("positive_fraction_max") - p) < 4.5 * sigma);
  CHECK(std::abs(v.at("positive_fraction_mean") - p) < 4.5 * sigma / std::sqrt(6.0));
  CHECK(v.at("positive_fraction_min") <= v.at("positive_fraction_mean"));
  CHECK(v.at("positive_fraction_mean") <= v.at("positive_fraction_max"));
  CHECK(v.at("positive_fraction_weighted") == Approx(v.at("positive_fraction_mean")).epsilon(1e-10));
  CHECK(v.at("log_z_estimate") == Approx(log_z).epsilon(1e-12));
}

TEST_CASE("ManyWell report: positive fractions of a hand-built sample set", "[driver][report][mpi]") {
  Comm comm;
  const ManyWell mw(4);  // double-well coordinates x_0 and x_2
  auto s = sample_set(comm, mw, 10);
  // Global row i: x_0 > 0 for i < 8, x_2 > 0 for even i (5 of 10); the y's x_1, x_3 are all
  // positive, so counting them would show. Weight exp(λ_i) = 1 + i through log q = −U − log(1 + i).
  auto h = Kokkos::create_mirror_view(s.x);
  for (std::int64_t j = 0; j < s.dec.local; ++j) {
    const std::int64_t i = s.dec.offset + j;
    h(j, 0) = i < 8 ? 1.2 : -0.9;
    h(j, 1) = 0.3;
    h(j, 2) = i % 2 == 0 ? 1.6 : -1.1;
    h(j, 3) = 0.7;
  }
  Kokkos::deep_copy(s.x, h);
  mw.energy(s.x, s.U);
  const auto U = s.U, lq = s.log_q;
  const auto offset = s.dec.offset;
  Kokkos::parallel_for(
      "test::known_log_q", Kokkos::RangePolicy<ExecSpace>(0, s.dec.local),
      KOKKOS_LAMBDA(const int j) { lq(j) = -U(j) - kmath::log(1.0 + double(offset + j)); });
  SECTION("without a density: plain fractions only") {
    const auto v = values_of(compute_report(comm, small_metrics(), mw, s, 3));
    CHECK(v.at("positive_fraction_min") == Approx(0.5).epsilon(1e-15));
    CHECK(v.at("positive_fraction_max") == Approx(0.8).epsilon(1e-15));
    CHECK(v.at("positive_fraction_mean") == Approx(0.65).epsilon(1e-15));
    CHECK(v.count("positive_fraction_weighted") == 0);
  }
  SECTION("with a density: the weighted mean") {
    s.has_log_q = true;
    const auto v = values_of(compute_report(comm, small_metrics(), mw, s, 3));
    // x_0: Σ_{i<8}(1+i)/Σ_{i<10}(1+i) = 36/55; x_2: (1+3+5+7+9)/55 = 25/55.
    CHECK(v.at("positive_fraction_weighted") == Approx((36.0 + 25.0) / 110).epsilon(1e-13));
    CHECK(v.at("positive_fraction_mean") == Approx(0.65).epsilon(1e-15));
  }
}

TEST_CASE("Report forward weights: EUBO of a Gaussian model on a Gaussian target", "[driver][report][mpi]") {
  Comm comm;
  const int d = 3;
  const std::vector<double> mu = {1.0, -0.5, 2.0};
  // Target N(μ, σ² I) (log Z = 0), model q = N(μ + δ, s_q² I): close enough that the forward
  // weights q/p have a finite variance (a wider or far-shifted q makes forward IS heavy-tailed).
  const double sigma = 0.8, s_q = 1.0, delta = 0.3;
  const auto target = GaussianMixture::isotropic("gauss", d, {1.0}, mu, {sigma});
  auto s = sample_set(comm, target, 100);
  target.sample(5, s.dec.offset, s.x);
  target.energy(s.x, s.U);
  const auto opts = config::Options::parse(full_schema(), "[metrics]\nreference_samples = 20000\nexact_max = 0\ndirections = 4\n", {});
  Kokkos::View<double*, ExecSpace::memory_space> m_q("m_q", d);
  {
    auto h = Kokkos::create_mirror_view(m_q);
    for (int j = 0; j < d; ++j) h(j) = mu[j] + delta;
    Kokkos::deep_copy(m_q, h);
  }
  const auto gaussian_log_q = [=](const Particles& x, const Scalars& lq) {
    Kokkos::parallel_for(
        "test::gaussian_log_q", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)), KOKKOS_LAMBDA(const int i) {
          double r2 = 0;
          for (int j = 0; j < d; ++j) r2 += (x(i, j) - m_q(j)) * (x(i, j) - m_q(j));
          lq(i) = -0.5 * r2 / (s_q * s_q) - d * kmath::log(s_q) - 0.5 * d * kmath::log(2 * M_PI);
        });
  };
  SECTION("no density at points: no forward metrics") {
    const auto v = values_of(compute_report(comm, opts, target, s, 3));
    CHECK(v.count("eubo") == 0);
  }
  SECTION("EUBO = log Z + KL(p || q), forward IS log Z = log Z") {
    s.log_density = gaussian_log_q;
    const auto v = values_of(compute_report(comm, opts, target, s, 3));
    double kl = 0;
    for (int j = 0; j < d; ++j) kl += std::log(s_q / sigma) + (sigma * sigma + delta * delta) / (2 * s_q * s_q) - 0.5;
    // Standard errors over 20 000 samples (numerically): 0.0043 for mean λ^f, 0.012 for mean q/p.
    CHECK(v.at("forward_n") == 20000);
    CHECK(v.at("forward_nonfinite") == 0);
    CHECK(v.at("eubo") == Approx(kl).margin(0.025));
    CHECK(std::abs(v.at("log_z_forward")) < 0.07);
    CHECK(v.at("forward_ess_fraction") > 0.05);
    CHECK(v.at("forward_ess_fraction") < 1.0);
  }
  SECTION("the exact density: every forward weight is Z") {
    s.log_density = [&](const Particles& x, const Scalars& lq) {
      target.energy(x, lq);
      Kokkos::parallel_for(
          "test::negate", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)), KOKKOS_LAMBDA(const int i) { lq(i) = -lq(i); });
    };
    const auto v = values_of(compute_report(comm, opts, target, s, 3));
    CHECK(v.at("eubo") == Approx(0.0).margin(1e-12));
    CHECK(v.at("log_z_forward") == Approx(0.0).margin(1e-12));
    CHECK(v.at("forward_ess_fraction") == Approx(1.0).epsilon(1e-12));
  }
  SECTION("q = 0 where the target has mass: EUBO = +inf, rows counted") {
    const double cut = mu[0] + 2 * sigma;
    s.log_density = [=](const Particles& x, const Scalars& lq) {
      gaussian_log_q(x, lq);
      Kokkos::parallel_for(
          "test::zero_density", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)), KOKKOS_LAMBDA(const int i) {
            if (x(i, 0) > cut) lq(i) = -Kokkos::Experimental::infinity<double>::value;
          });
    };
    const auto v = values_of(compute_report(comm, opts, target, s, 3));
    CHECK(std::isinf(v.at("eubo")));
    CHECK(v.at("eubo") > 0);
    CHECK(v.at("forward_nonfinite") > 0.01 * 20000);  // P(z > 2) = 0.023
    CHECK(v.at("forward_nonfinite") < 0.04 * 20000);
    CHECK(v.count("log_z_forward") == 0);
  }
  SECTION("metrics.forward_weights = false turns it off") {
    s.log_density = gaussian_log_q;
    const auto off = config::Options::parse(
        full_schema(), "[metrics]\nreference_samples = 2000\nexact_max = 0\ndirections = 4\nforward_weights = false\n", {});
    CHECK(values_of(compute_report(comm, off, target, s, 3)).count("eubo") == 0);
  }
}
