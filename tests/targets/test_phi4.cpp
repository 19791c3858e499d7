// φ⁴ field (targets.md §8): derivatives vs finite differences, the energy vs a direct host sum of
// the spec's formula, the b = 0 symmetry, mode labels and weights.
#include "TargetTestSupport.hpp"

using namespace boltzflow;
using namespace boltzflow::test;

namespace {
// βU(φ) with Dirichlet ends, straight from the spec, on the host.
double phi4_energy(const HostMatrix& x, int i, double a, double b, double beta) {
  const int N = x.extent(1);
  const auto at = [&](int j) { return j < 0 || j >= N ? 0.0 : x(i, j); };
  double kin = 0, pot = 0;
  for (int j = -1; j < N; ++j) kin += (at(j + 1) - at(j)) * (at(j + 1) - at(j));
  for (int j = 0; j < N; ++j) pot += (1 - at(j) * at(j)) * (1 - at(j) * at(j)) / 4 + b * at(j);
  return beta * (a * N / 2 * kin + pot / (a * N));
}
}  // namespace

TEST_CASE("phi4 gradient and Laplacian match finite differences", "[targets][phi4]") {
  check_derivatives(*build("name = phi4\ndim = 8\n"), random_points(4, 8, 0.7, 0.1, 3));
  check_derivatives(*build("name = phi4\ndim = 12\nphi4_a = 0.02\nphi4_b = 0.7\nphi4_beta = 2\n"),
                    random_points(4, 12, 0.7, 0.1, 4));
}

TEST_CASE("phi4 energy equals the spec's sum; symmetric at b = 0", "[targets][phi4]") {
  const auto x = random_points(5, 10, 0.8, 0.2, 5);
  for (const double b : {0.0, 0.3}) {
    const auto t = build("name = phi4\ndim = 10\nphi4_b = " + std::to_string(b) + "\n");
    const auto U = energies(*t, x);
    for (int i = 0; i < 5; ++i) CHECK(U[i] == Approx(phi4_energy(x, i, 0.1, b, 20)).epsilon(1e-13));
  }
  auto xm = random_points(5, 10, 0.8, 0.2, 5);
  for (int i = 0; i < 5; ++i)
    for (int j = 0; j < 10; ++j) xm(i, j) = -x(i, j);
  const auto t = build("name = phi4\ndim = 10\n");
  const auto a = energies(*t, x), c = energies(*t, xm);
  for (int i = 0; i < 5; ++i) CHECK(a[i] == Approx(c[i]).epsilon(1e-13));
  CHECK(build("name = phi4\n")->dim() == 100);
}

TEST_CASE("phi4 modes: sign of the mean field, weights ½ only when b = 0", "[targets][phi4]") {
  const auto t = build("name = phi4\ndim = 6\n");
  REQUIRE(t->num_modes() == 2);
  CHECK(t->mode_weights() == std::vector<double>{0.5, 0.5});
  CHECK(build("name = phi4\ndim = 6\nphi4_b = 0.1\n")->mode_weights().empty());
  HostMatrix x("fields", 3, 6);
  for (int j = 0; j < 6; ++j) {
    x(0, j) = 1;
    x(1, j) = -1;
    x(2, j) = j == 0 ? 3 : -0.5;  // mean +0.083: positive despite most sites negative
  }
  CHECK(mode_labels(*t, x) == std::vector<int>{1, 0, 1});
  CHECK_FALSE(t->has_log_z());
  CHECK_FALSE(t->has_sampler());
}

TEST_CASE("phi4 deck errors", "[targets][phi4]") {
  CHECK_THAT(input_error("name = phi4\nphi4_a = 0\n"), Catch::Contains("target.phi4_a"));
  CHECK_THAT(input_error("name = phi4\nphi4_beta = -1\n"), Catch::Contains("target.phi4_beta"));
}
