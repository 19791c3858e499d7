#include <algorithm>
#include <cmath>
#include <vector>

#include "DistributedSample.hpp"
#include "boltzflow/metrics/EnergyDistance.hpp"
#include "boltzflow/metrics/SlicedProjections.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;
using namespace boltzflow::metrics;
using testutil::gaussian_sample;
using testutil::local_rows;
using testutil::slice_of;

namespace {
double dist(const HostParticles& a, std::size_t i, const HostParticles& b, std::size_t j) {
  double s = 0;
  for (std::size_t k = 0; k < a.extent(1); ++k) s += (a(i, k) - b(j, k)) * (a(i, k) - b(j, k));
  return std::sqrt(s);
}

// Plain triple loop of the ½-convention V-statistic.
double direct_energy_distance(const HostParticles& x, const HostParticles& y) {
  const double n = x.extent(0), m = y.extent(0);
  double xy = 0, xx = 0, yy = 0;
  for (std::size_t i = 0; i < x.extent(0); ++i)
    for (std::size_t j = 0; j < y.extent(0); ++j) xy += dist(x, i, y, j);
  for (std::size_t i = 0; i < x.extent(0); ++i)
    for (std::size_t j = 0; j < x.extent(0); ++j) xx += dist(x, i, x, j);
  for (std::size_t i = 0; i < y.extent(0); ++i)
    for (std::size_t j = 0; j < y.extent(0); ++j) yy += dist(y, i, y, j);
  return xy / (n * m) - xx / (2 * n * n) - yy / (2 * m * m);
}
}  // namespace

TEST_CASE("slicing constant c_d matches the closed forms of metrics.md", "[metrics][energy]") {
  const int d[] = {1, 2, 3, 5, 10, 20, 32, 50, 100, 200, 1600};
  const double c[] = {1.0, 1.570796, 2.0, 2.666667, 3.865632, 5.535394, 7.034651, 8.818071, 12.501848, 17.702397, 50.124733};
  for (int i = 0; i < 11; ++i) CHECK(slicing_constant(d[i]) == Approx(c[i]).epsilon(1e-6));
  // Product forms, k = floor((d-1)/2): odd d: Π 2j/(2j−1); even d: (π/2) Π (2j+1)/(2j).
  for (int dd = 2; dd <= 40; ++dd) {
    double p = dd % 2 ? 1.0 : constants::pi / 2;
    for (int j = 1; j <= (dd - 1) / 2; ++j) p *= dd % 2 ? 2.0 * j / (2.0 * j - 1) : (2.0 * j + 1) / (2.0 * j);
    CHECK(slicing_constant(dd) == Approx(p).epsilon(1e-12));
  }
}

TEST_CASE("exact energy distance equals the triple loop on distributed samples", "[metrics][energy][mpi]") {
  Comm comm;
  const auto x = gaussian_sample(37, 3, 11);
  const auto y = gaussian_sample(23, 3, 12, 0.5, 1.3);
  const double ref = direct_energy_distance(x, y);
  REQUIRE(ref > 0.05);
  for (const bool empty_last : {false, true}) {
    const auto ex = local_rows(x, slice_of(comm, 37, empty_last)), ey = local_rows(y, slice_of(comm, 23, empty_last));
    CHECK(energy_distance(comm, ex, ey) == Approx(ref).epsilon(1e-12));
    CHECK(energy_distance(comm, ey, ex) == Approx(ref).epsilon(1e-12));
    // ED of a set with itself vanishes (up to rounding of sums of O(1) terms).
    CHECK(std::abs(energy_distance(comm, ex, ex)) < 1e-12);
  }
}

TEST_CASE("1-D energy distance from merged sorted samples equals the V-statistic", "[metrics][energy]") {
  // Integer-valued points: ties within and across the two samples.
  std::vector<double> a = {3, 1, 4, 1, 5, 9, 2, 6}, b = {2, 7, 1, 8, 2, 8, 1};
  HostParticles xa("a", a.size(), 1), xb("b", b.size(), 1);
  for (std::size_t i = 0; i < a.size(); ++i) xa(i, 0) = a[i];
  for (std::size_t i = 0; i < b.size(); ++i) xb(i, 0) = b[i];
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  CHECK(energy_distance_1d(a, b) == Approx(direct_energy_distance(xa, xb)).epsilon(1e-14));
  CHECK(energy_distance_1d(a, a) == 0.0);
}

TEST_CASE("sliced energy distance in d = 1 is exact", "[metrics][energy][mpi]") {
  Comm comm;
  const auto x = gaussian_sample(41, 1, 21), y = gaussian_sample(29, 1, 22, 0.3, 0.7);
  const double ref = direct_energy_distance(x, y);
  for (const bool empty_last : {false, true}) {
    const auto ex = local_rows(x, slice_of(comm, 41, empty_last)), ey = local_rows(y, slice_of(comm, 29, empty_last));
    CHECK(energy_distance_sliced(comm, ex, ey, 3, 5) == Approx(ref).epsilon(1e-12));
  }
}

TEST_CASE("sliced energy distance equals c_d times the mean of direct 1-D V-statistics", "[metrics][energy][mpi]") {
  Comm comm;
  const int d = 4, L = 50;
  const auto x = gaussian_sample(33, d, 31), y = gaussian_sample(27, d, 32, 1.0, 0.8);
  // Direct: project with the documented directions, O(N²) 1-D V-statistic per direction.
  const auto xi = random_directions(L, d, 77);
  double sum = 0;
  for (int l = 0; l < L; ++l) {
    HostParticles px("px", x.extent(0), 1), py("py", y.extent(0), 1);
    for (std::size_t i = 0; i < x.extent(0); ++i)
      for (int k = 0; k < d; ++k) px(i, 0) += x(i, k) * xi(l, k);
    for (std::size_t i = 0; i < y.extent(0); ++i)
      for (int k = 0; k < d; ++k) py(i, 0) += y(i, k) * xi(l, k);
    sum += direct_energy_distance(px, py);
  }
  const double ref = slicing_constant(d) * sum / L;
  for (const bool empty_last : {false, true}) {
    const auto ex = local_rows(x, slice_of(comm, 33, empty_last)), ey = local_rows(y, slice_of(comm, 27, empty_last));
    CHECK(energy_distance_sliced(comm, ex, ey, L, 77) == Approx(ref).epsilon(1e-11));
  }
}

TEST_CASE("random directions are unit vectors with isotropic second moments", "[metrics][energy]") {
  const int L = 20000, d = 3;
  const auto xi = random_directions(L, d, 5);
  double m[3][3] = {};
  for (int l = 0; l < L; ++l) {
    double n2 = 0;
    for (int a = 0; a < d; ++a) {
      n2 += xi(l, a) * xi(l, a);
      for (int b = 0; b < d; ++b) m[a][b] += xi(l, a) * xi(l, b) / L;
    }
    REQUIRE(n2 == Approx(1.0).epsilon(1e-14));
  }
  // E[ξξᵀ] = I/d; for uniform ξ on S², Var(ξ_a²) = 4/45, Var(ξ_a ξ_b) = 1/15: 6σ bounds.
  for (int a = 0; a < d; ++a)
    for (int b = 0; b < d; ++b)
      CHECK(std::abs(m[a][b] - (a == b ? 1.0 / d : 0.0)) < 6 * std::sqrt((a == b ? 4.0 / 45 : 1.0 / 15) / L));
}

TEST_CASE("sliced energy distance with many directions matches the exact value", "[metrics][energy][mpi]") {
  Comm comm;
  const int d = 3;
  const auto x = gaussian_sample(40, d, 41), y = gaussian_sample(40, d, 42, 0.8, 1.5);
  const auto ex = local_rows(x, slice_of(comm, 40)), ey = local_rows(y, slice_of(comm, 40));
  const double exact = energy_distance(comm, ex, ey);
  // Spread of the single-direction estimate c_d·ED_1(ξ), from independent one-direction seeds.
  const int reps = 200;
  double s = 0, s2 = 0;
  for (int r = 0; r < reps; ++r) {
    const double v = energy_distance_sliced(comm, ex, ey, 1, 1000 + r);
    s += v;
    s2 += v * v;
  }
  const double sd1 = std::sqrt((s2 - s * s / reps) / (reps - 1));
  const int L = 4000;
  const double sliced = energy_distance_sliced(comm, ex, ey, L, 9);
  CHECK(std::abs(sliced - exact) < 5 * sd1 / std::sqrt(double(L)));
  CHECK(std::abs(s / reps - exact) < 5 * sd1 / std::sqrt(double(reps)));
}
