#include <algorithm>
#include <cmath>
#include <vector>

#include "DistributedSample.hpp"
#include "boltzflow/metrics/MedianDistance.hpp"
#include "boltzflow/metrics/Mmd.hpp"
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

// Median of all pairwise distances of the pool a ∪ b, by full sort (mean of the two middle values).
double direct_median(const HostParticles& a, const HostParticles& b) {
  std::vector<const HostParticles*> set;
  std::vector<std::size_t> row;
  for (std::size_t i = 0; i < a.extent(0); ++i) set.push_back(&a), row.push_back(i);
  for (std::size_t i = 0; i < b.extent(0); ++i) set.push_back(&b), row.push_back(i);
  std::vector<double> d;
  for (std::size_t i = 0; i < set.size(); ++i)
    for (std::size_t j = i + 1; j < set.size(); ++j) d.push_back(dist(*set[i], row[i], *set[j], row[j]));
  std::sort(d.begin(), d.end());
  const std::size_t m = d.size() / 2;
  return d.size() % 2 ? d[m] : 0.5 * (d[m - 1] + d[m]);
}

// Gaussian-kernel sums over pairs (with or without the diagonal i = j of a set with itself).
double kernel_sum(const HostParticles& a, const HostParticles& b, double h, bool skip_diagonal) {
  double s = 0;
  for (std::size_t i = 0; i < a.extent(0); ++i)
    for (std::size_t j = 0; j < b.extent(0); ++j) {
      if (skip_diagonal && i == j) continue;
      const double r = dist(a, i, b, j);
      s += std::exp(-r * r / (2 * h * h));
    }
  return s;
}
}  // namespace

TEST_CASE("MMD with the median heuristic equals a direct double loop", "[metrics][mmd][mpi]") {
  Comm comm;
  const auto x = gaussian_sample(40, 2, 51), y = gaussian_sample(30, 2, 52, 0.6, 1.2);
  const double n = 40, m = 30;
  const double h = direct_median(x, y);
  const double mmd2 = kernel_sum(x, x, h, true) / (n * (n - 1)) + kernel_sum(y, y, h, true) / (m * (m - 1)) -
                      2 * kernel_sum(x, y, h, false) / (n * m);
  REQUIRE(mmd2 > 0);
  for (const bool empty_last : {false, true}) {
    const auto ex = local_rows(x, slice_of(comm, 40, empty_last)), ey = local_rows(y, slice_of(comm, 30, empty_last));
    const auto r = mmd_details(comm, ex, ey, 2000, 3);
    CHECK(r.bandwidth == Approx(h).epsilon(1e-14));
    CHECK(r.mmd2 == Approx(mmd2).epsilon(1e-11));
    CHECK(r.mmd == Approx(std::sqrt(mmd2)).epsilon(1e-11));
    CHECK(mmd(comm, ex, ey, 2000, 3) == r.mmd);
  }
}

TEST_CASE("AF-variant MMD equals a direct double loop", "[metrics][mmd][mpi]") {
  Comm comm;
  const auto x = gaussian_sample(35, 3, 61, 0.2), y = gaussian_sample(25, 3, 62);
  const double n = 35, m = 25;
  const HostParticles none("none", 0, 3);
  const double gamma = 0.1 * direct_median(y, none);
  const double mmd2 = kernel_sum(x, x, gamma, false) / (n * n) + kernel_sum(y, y, gamma, false) / (m * m) -
                      2 * kernel_sum(x, y, gamma, false) / (n * m);
  for (const bool empty_last : {false, true}) {
    const auto ex = local_rows(x, slice_of(comm, 35, empty_last)), ey = local_rows(y, slice_of(comm, 25, empty_last));
    const auto r = mmd_af(comm, ex, ey, 2000, 3);
    CHECK(r.bandwidth == Approx(gamma).epsilon(1e-14));
    CHECK(r.mmd2 == Approx(mmd2).epsilon(1e-11));
    CHECK(r.mmd == Approx(std::sqrt(mmd2)).epsilon(1e-11));
  }
}

TEST_CASE("subsampled median heuristic is close to the full median", "[metrics][mmd][mpi]") {
  Comm comm;
  const int n = 1300;
  const auto x = gaussian_sample(n, 2, 71), y = gaussian_sample(n, 2, 72, 1.0);
  const double full = direct_median(x, y);
  const auto ex = local_rows(x, slice_of(comm, n, true)), ey = local_rows(y, slice_of(comm, n, true));
  const double sub = median_pairwise_distance(comm, ex, ey, 2000, 4);
  const double other = median_pairwise_distance(comm, ex, ey, 2000, 5);
  CHECK(sub != other);  // the subsample depends on the seed ...
  // ... and the median of ~2·10⁶ pairs of 2000 of 2600 points is within a few per cent of the full one.
  CHECK(sub == Approx(full).epsilon(0.03));
  CHECK(other == Approx(full).epsilon(0.03));
  // At most max_points points: with all points the full median is recovered exactly.
  CHECK(median_pairwise_distance(comm, ex, ey, 2 * n, 4) == Approx(full).epsilon(1e-14));
}

TEST_CASE("MMD rejects too few samples", "[metrics][mmd][mpi]") {
  Comm comm;
  const auto x = gaussian_sample(1, 2, 1), y = gaussian_sample(10, 2, 2);
  const auto ex = local_rows(x, slice_of(comm, 1)), ey = local_rows(y, slice_of(comm, 10));
  CHECK_THROWS_AS(mmd(comm, ex, ey, 2000, 1), InputError);
}
