#include "boltzflow/metrics/MedianDistance.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_set>
#include <vector>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/metrics/SampleChecks.hpp"

namespace boltzflow::metrics {

namespace {

// Sorted ids of a uniform subset of size s of {0, ..., pool − 1} (Floyd's algorithm).
std::vector<std::int64_t> choose_ids(std::int64_t pool, std::int64_t s, std::uint64_t seed) {
  std::vector<std::int64_t> ids;
  if (s >= pool) {
    for (std::int64_t i = 0; i < pool; ++i) ids.push_back(i);
    return ids;
  }
  const Rng rng(seed, Stream::metrics);
  std::unordered_set<std::int64_t> chosen;
  for (std::int64_t j = pool - s; j < pool; ++j) {
    const auto t = std::min(j, static_cast<std::int64_t>(rng.uniform(static_cast<std::uint64_t>(j), subsample_step, 0) *
                                                         static_cast<double>(j + 1)));
    chosen.insert(chosen.count(t) ? j : t);
  }
  ids.assign(chosen.begin(), chosen.end());
  std::sort(ids.begin(), ids.end());
  return ids;
}

// This rank's rows of x whose pooled id (first + local row) is in ids, all-gathered in id order.
Matrix<Real, HostSpace> gather_selected(const Comm& comm, const Particles& x, int d, std::int64_t first,
                                        const std::vector<std::int64_t>& ids) {
  const std::int64_t n = static_cast<std::int64_t>(x.extent(0));
  const auto lo = std::lower_bound(ids.begin(), ids.end(), first);
  const auto hi = std::lower_bound(ids.begin(), ids.end(), first + n);
  const std::int64_t k = hi - lo;
  Vector<std::int64_t, HostSpace> rows_host("selected_rows", k);
  for (std::int64_t r = 0; r < k; ++r) rows_host(r) = *(lo + r) - first;
  const auto rows = Kokkos::create_mirror_view_and_copy(MemSpace(), rows_host);
  Particles sel("selected", k, d);
  if (k > 0) {
    const auto xv = x;
    Kokkos::parallel_for(
        "boltzflow::metrics::gather_subsample", Kokkos::RangePolicy<ExecSpace>(0, k * d),
        KOKKOS_LAMBDA(const std::int64_t idx) {
          const std::int64_t r = idx / d;
          const int c = static_cast<int>(idx % d);
          sel(r, c) = xv(rows(r), c);
        });
  }
  Matrix<Real, HostSpace> local("selected_host", k, d);
  Kokkos::deep_copy(local, sel);
  return comm.allgather_rows(local);
}

double median_of_pairs(const std::vector<Matrix<Real, HostSpace>>& parts, int d) {
  std::vector<const double*> pts;
  for (const auto& p : parts)
    for (std::size_t i = 0; i < p.extent(0); ++i) pts.push_back(&p(i, 0));
  const std::size_t s = pts.size();
  if (s < 2) throw InputError("metrics: the median heuristic needs at least two samples");
  std::vector<double> dist;
  dist.reserve(s * (s - 1) / 2);
  for (std::size_t i = 0; i < s; ++i)
    for (std::size_t j = i + 1; j < s; ++j) {
      double r2 = 0;
      for (int k = 0; k < d; ++k) r2 += (pts[i][k] - pts[j][k]) * (pts[i][k] - pts[j][k]);
      dist.push_back(std::sqrt(r2));
    }
  const std::size_t mid = dist.size() / 2;
  std::nth_element(dist.begin(), dist.begin() + mid, dist.end());
  const double upper = dist[mid];
  if (dist.size() % 2 == 1) return upper;
  return 0.5 * (upper + *std::max_element(dist.begin(), dist.begin() + mid));
}

double median_of_sets(const Comm& comm, const std::vector<Particles>& sets, int d, std::uint64_t seed,
                      std::int64_t max_points) {
  if (max_points < 2) throw InputError("metrics: the median heuristic needs a subsample of at least 2 points");
  std::int64_t pool = 0;
  std::vector<std::int64_t> first(sets.size());
  for (std::size_t s = 0; s < sets.size(); ++s) {
    const std::int64_t n = static_cast<std::int64_t>(sets[s].extent(0));
    first[s] = pool + comm.exscan(n);
    pool += comm.sum(n);
  }
  const auto ids = choose_ids(pool, max_points, seed);
  std::vector<Matrix<Real, HostSpace>> parts;
  for (std::size_t s = 0; s < sets.size(); ++s) parts.push_back(gather_selected(comm, sets[s], d, first[s], ids));
  return median_of_pairs(parts, d);
}

}  // namespace

double median_pairwise_distance(const Comm& comm, const Particles& x, const Particles& y, std::int64_t max_points,
                                std::uint64_t seed) {
  const int d = common_dim(comm, x, y, "median pairwise distance");
  return median_of_sets(comm, {x, y}, d, seed, max_points);
}

double median_pairwise_distance(const Comm& comm, const Particles& x, std::int64_t max_points, std::uint64_t seed) {
  const int d = common_dim(comm, x, "median pairwise distance");
  return median_of_sets(comm, {x}, d, seed, max_points);
}

}  // namespace boltzflow::metrics
