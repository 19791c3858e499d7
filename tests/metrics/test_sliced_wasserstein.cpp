#include <algorithm>
#include <cmath>
#include <vector>

#include "DistributedSample.hpp"
#include "boltzflow/metrics/SlicedProjections.hpp"
#include "boltzflow/metrics/SlicedWasserstein.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;
using namespace boltzflow::metrics;
using testutil::gaussian_sample;
using testutil::local_rows;
using testutil::slice_of;

namespace {
std::vector<double> sorted_column(const HostParticles& x) {
  std::vector<double> v(x.extent(0));
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = x(i, 0);
  std::sort(v.begin(), v.end());
  return v;
}

// W2² of equal-size 1-D samples: mean squared difference of the order statistics.
double sorted_w2sq(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += (a[i] - b[i]) * (a[i] - b[i]);
  return s / a.size();
}

// Unequal sizes N, M: repeat every a_i M times and every b_j N times (same measures, N·M atoms each).
double replicated_w2sq(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> ra, rb;
  for (const double v : a) ra.insert(ra.end(), b.size(), v);
  for (const double v : b) rb.insert(rb.end(), a.size(), v);
  return sorted_w2sq(ra, rb);
}
}  // namespace

TEST_CASE("1-D W2² from sorted samples", "[metrics][sw2]") {
  const auto a = sorted_column(gaussian_sample(12, 1, 81)), b = sorted_column(gaussian_sample(12, 1, 82, 0.4));
  CHECK(wasserstein2_squared_1d(a, b) == Approx(sorted_w2sq(a, b)).epsilon(1e-14));
  const auto c = sorted_column(gaussian_sample(7, 1, 83, -0.3, 2.0));
  CHECK(wasserstein2_squared_1d(a, c) == Approx(replicated_w2sq(a, c)).epsilon(1e-13));
  CHECK(wasserstein2_squared_1d(c, a) == Approx(replicated_w2sq(a, c)).epsilon(1e-13));
  // X = {0, 1}, Y = {0, ½, 1}: ∫(F⁻¹ − G⁻¹)² = (1/3)(0) + (1/6)(½)² + (1/6)(½)² + (1/3)(0) = 1/12.
  CHECK(wasserstein2_squared_1d({0, 1}, {0, 0.5, 1}) == Approx(1.0 / 12).epsilon(1e-15));
}

TEST_CASE("sliced W2 in d = 1 equals the direct sorted formula", "[metrics][sw2][mpi]") {
  Comm comm;
  const auto x = gaussian_sample(30, 1, 91), y = gaussian_sample(30, 1, 92, 0.5), z = gaussian_sample(19, 1, 93, 1.0, 0.5);
  for (const bool empty_last : {false, true}) {
    const auto ex = local_rows(x, slice_of(comm, 30, empty_last)), ey = local_rows(y, slice_of(comm, 30, empty_last)),
               ez = local_rows(z, slice_of(comm, 19, empty_last));
    CHECK(sliced_w2(comm, ex, ey, 4, 1) == Approx(std::sqrt(sorted_w2sq(sorted_column(x), sorted_column(y)))).epsilon(1e-12));
    CHECK(sliced_w2(comm, ex, ez, 4, 1) ==
          Approx(std::sqrt(replicated_w2sq(sorted_column(x), sorted_column(z)))).epsilon(1e-12));
    CHECK(sliced_w2(comm, ex, ex, 4, 1) == 0.0);
  }
}

TEST_CASE("sliced W2 of a translated sample", "[metrics][sw2][mpi]") {
  Comm comm;
  const int n = 64, d = 3, L = 4000;
  const double s[d] = {3.0, -4.0, 1.0}, s2 = 26.0;
  const auto x = gaussian_sample(n, d, 101);
  HostParticles y("y", n, d);
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < d; ++k) y(i, k) = x(i, k) + s[k];
  for (const bool empty_last : {false, true}) {
    const auto ex = local_rows(x, slice_of(comm, n, empty_last)), ey = local_rows(y, slice_of(comm, n, empty_last));
    const double sw2 = sliced_w2(comm, ex, ey, L, 7);
    // Every 1-D projection is translated by ξ·s: exactly SW2² = mean_l (ξ_l·s)².
    const auto xi = random_directions(L, d, 7);
    double mean = 0;
    for (int l = 0; l < L; ++l) {
      double p = 0;
      for (int k = 0; k < d; ++k) p += xi(l, k) * s[k];
      mean += p * p / L;
    }
    CHECK(sw2 * sw2 == Approx(mean).epsilon(1e-10));
    // Uniform ξ on S²: (ξ·s)²/‖s‖² = u², u ~ U(−1, 1): mean 1/3, variance 4/45; 5σ bound.
    CHECK(std::abs(sw2 * sw2 - s2 / d) < 5 * s2 * std::sqrt(4.0 / 45 / L));
  }
}

TEST_CASE("sliced sums do not depend on the chunking of the directions", "[metrics][sw2][mpi]") {
  Comm comm;
  const int d = 3, L = 23;
  const auto x = gaussian_sample(40, d, 111), y = gaussian_sample(31, d, 112, 0.5);
  const auto ex = local_rows(x, slice_of(comm, 40, true)), ey = local_rows(y, slice_of(comm, 31, true));
  const double one_chunk = sum_over_directions(comm, ex, ey, d, L, 5, wasserstein2_squared_1d);
  // (N + M)·C ≤ 71·5: chunks of 5 directions, the last one of 3.
  const double chunked = sum_over_directions(comm, ex, ey, d, L, 5, wasserstein2_squared_1d, 71 * 5);
  CHECK(chunked == Approx(one_chunk).epsilon(1e-13));
  // Direct: W2² of each direction's projections, by the replicated-sample formula.
  const auto xi = random_directions(L, d, 5);
  double direct = 0;
  for (int l = 0; l < L; ++l) {
    std::vector<double> a, b;
    for (int i = 0; i < 40; ++i) a.push_back(x(i, 0) * xi(l, 0) + x(i, 1) * xi(l, 1) + x(i, 2) * xi(l, 2));
    for (int i = 0; i < 31; ++i) b.push_back(y(i, 0) * xi(l, 0) + y(i, 1) * xi(l, 1) + y(i, 2) * xi(l, 2));
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    direct += replicated_w2sq(a, b);
  }
  CHECK(one_chunk == Approx(direct).epsilon(1e-11));
  // The rows of a later chunk are the same directions as in one block.
  const auto tail = random_directions(20, 3, d, 5);
  for (int k = 0; k < d; ++k) CHECK(tail(1, k) == xi(21, k));
}
