// subsample_rows: the kept global rows do not depend on the rank count, their number is
// binomial(N, keep/N), and keep >= N returns the sample itself.
#include <cmath>
#include <set>

#include "DistributedSample.hpp"
#include "boltzflow/metrics/Subsample.hpp"
#include "catch_compat.hpp"

using namespace testutil;

TEST_CASE("subsample_rows keeps a rank-independent binomial subset", "[metrics][mpi]") {
  Comm comm;
  const std::int64_t n = 20000, keep = 3000;
  const auto full = gaussian_sample(n, 3, 7);
  for (bool empty_last : {false, true}) {
    const auto s = slice_of(comm, n, empty_last);
    const auto x = local_rows(full, s);
    const auto sub = metrics::subsample_rows(comm, x, s.begin, keep, 11);
    const auto h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), sub);
    // Which rows were kept: each kept row equals exactly one full row, found by its first coordinate.
    std::set<std::int64_t> kept_local;
    for (std::size_t i = 0; i < h.extent(0); ++i)
      for (std::int64_t g = s.begin; g < s.end; ++g)
        if (full(g, 0) == h(i, 0) && full(g, 1) == h(i, 1) && full(g, 2) == h(i, 2)) {
          kept_local.insert(g);
          break;
        }
    REQUIRE(kept_local.size() == h.extent(0));
    // The same rule on one process: g kept iff uniform(seed, g) < keep/n.
    const Rng rng(11, Stream::metrics);
    std::int64_t expect_local = 0, mismatches = 0;
    for (std::int64_t g = s.begin; g < s.end; ++g) {
      const bool k = rng.uniform(static_cast<std::uint64_t>(g), 0, 0) < double(keep) / double(n);
      expect_local += k;
      mismatches += k != (kept_local.count(g) == 1);
    }
    CHECK(mismatches == 0);
    CHECK(std::int64_t(h.extent(0)) == expect_local);
    const auto total = comm.sum(std::int64_t(h.extent(0)));
    CHECK(std::abs(double(total - keep)) < 4 * std::sqrt(keep * (1.0 - double(keep) / n)));  // 4 sigma
  }
  const auto s = slice_of(comm, n);
  const auto x = local_rows(full, s);
  CHECK(metrics::subsample_rows(comm, x, s.begin, n, 11).data() == x.data());
}
