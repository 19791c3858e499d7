// ManyWell-d (targets.md §6): derivatives vs finite differences, log Z vs the spec's table and
// quadrature, the exact sampler vs quadrature moments, mode weights and labels.
#include "TargetTestSupport.hpp"
#include "boltzflow/targets/ManyWell.hpp"

using namespace boltzflow;
using namespace boltzflow::test;

namespace {
// ∫ x^p e^{−(x⁴ − 6x² − 0.5x)} dx on the host by the midpoint rule (independent of the kernels).
double well_moment(int p) {
  double s = 0;
  const double h = 1e-4;
  for (double x = -6 + h / 2; x < 6; x += h) s += std::pow(x, p) * std::exp(-(x * x * x * x - 6 * x * x - 0.5 * x)) * h;
  return s;
}
}  // namespace

TEST_CASE("ManyWell gradient and Laplacian match finite differences", "[targets][manywell]") {
  for (int d : {2, 6, 32}) {
    const auto t = build("name = manywell\ndim = " + std::to_string(d) + "\n");
    REQUIRE(t->dim() == d);
    check_derivatives(*t, random_points(4, d, 1.2, 0, 3));
  }
}

TEST_CASE("ManyWell log Z: the spec's table, quadrature at d = 2", "[targets][manywell]") {
  const std::vector<std::pair<int, double>> table = {{2, 10.293480},  {8, 41.173919},   {16, 82.347838}, {32, 164.695675},
                                                     {50, 257.336993}, {64, 329.391351}, {128, 658.782701}};
  for (const auto& [d, logz] : table) CHECK(build("name = manywell\ndim = " + std::to_string(d) + "\n")->log_z() ==
                                            Approx(logz).margin(2e-6));
  const auto t = build("name = manywell\ndim = 2\n");
  CHECK(static_cast<const ManyWell&>(*t).log_z1() == Approx(std::log(11784.50927)).epsilon(1e-9));
  CHECK(std::log(well_moment(0)) == Approx(std::log(11784.50927)).epsilon(1e-9));
  CHECK(log_z_box(*t, -4, 4, -10, 10, 1600, 400) == Approx(t->log_z()).margin(1e-6));
  CHECK(build("name = manywell\n")->dim() == 32);
}

TEST_CASE("ManyWell mode weights, labels and exact sampler", "[targets][manywell]") {
  double pos = 0;  // mass of the x > 0 well by the same host quadrature
  for (double x = 0.5e-4; x < 6; x += 1e-4) pos += std::exp(-(x * x * x * x - 6 * x * x - 0.5 * x)) * 1e-4;
  const double p = pos / well_moment(0);
  CHECK(p == Approx(0.844307).margin(1e-6));
  const auto t = build("name = manywell\ndim = 6\n");
  CHECK(static_cast<const ManyWell&>(*t).positive_well_mass() == Approx(p).epsilon(1e-8));
  REQUIRE(t->num_modes() == 8);
  const auto w = t->mode_weights();
  for (int m = 0; m < 8; ++m) {
    const int pos = (m & 1) + ((m >> 1) & 1) + ((m >> 2) & 1);
    CHECK(w[m] == Approx(std::pow(p, pos) * std::pow(1 - p, 3 - pos)).epsilon(1e-8));
  }
  SECTION("labels of FAB's mode test set x_{2i} = ±1.7, x_{2i+1} = 0: Σ [x_{2i} > 0] 2^i") {
    HostMatrix x("modes", 8, 6);
    for (int m = 0; m < 8; ++m)
      for (int i = 0; i < 3; ++i) {
        x(m, 2 * i) = (m >> i) & 1 ? 1.7 : -1.7;
        x(m, 2 * i + 1) = 0.3 * (i - 1);  // the y coordinates do not matter
      }
    const auto lab = mode_labels(*t, x);
    for (int m = 0; m < 8; ++m) CHECK(lab[m] == m);
  }
  SECTION("exact samples: mode frequencies and the moments of x and y") {
    check_mode_frequencies(*t, 40000, 9);
    const int n = 40000;
    const auto s = moments(exact_samples(*build("name = manywell\ndim = 2\n"), n, 4));
    const double ex = well_moment(1) / well_moment(0), ex2 = well_moment(2) / well_moment(0);
    CHECK(std::abs(s.mean[0] - ex) < 5 * std::sqrt((ex2 - ex * ex) / n));
    CHECK(std::abs(s.cov[0] - (ex2 - ex * ex)) < 0.05 * (ex2 - ex * ex));
    CHECK(std::abs(s.mean[1]) < 5 / std::sqrt(n));
    CHECK(s.cov[3] == Approx(1.0).margin(5 * std::sqrt(2.0 / n)));
  }
  SECTION("ManyWell-32 labels 2^16 modes; beyond d = 40 none") {
    CHECK(build("name = manywell\ndim = 32\n")->num_modes() == 65536);
    CHECK(build("name = manywell\ndim = 64\n")->num_modes() == 0);
  }
}

TEST_CASE("ManyWell needs an even dimension", "[targets][manywell]") {
  CHECK_THAT(input_error("name = manywell\ndim = 5\n"), Catch::Contains("target.dim"));
  CHECK_THAT(input_error("name = manywell\nfunnel_sigma = 2\n"), Catch::Contains("target.funnel_sigma"));
}
