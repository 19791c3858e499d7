#include <cmath>
#include <vector>

#include "DistributedSample.hpp"
#include "boltzflow/metrics/Modes.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;
using namespace boltzflow::metrics;
using testutil::local_values;
using testutil::slice_of;

TEST_CASE("mode metrics of a hand-made labelling", "[metrics][modes][mpi]") {
  Comm comm;
  // K = 4: mode 0 ×5, mode 1 ×3, mode 2 ×2, mode 3 never, 2 unassigned; N = 12.
  const std::vector<int> labels = {0, 0, 1, -1, 2, 0, 1, 1, 0, -1, 0, 2};
  const std::vector<double> exact(4, 0.25);
  for (const bool empty_last : {false, true}) {
    const auto lab = local_values(labels, slice_of(comm, 12, empty_last));
    const auto c = mode_counts(comm, lab, 4);
    CHECK(c.counts == std::vector<std::int64_t>{5, 3, 2, 0});
    CHECK(c.unassigned == 2);
    CHECK(c.n == 12);
    const auto w = mode_weights(comm, lab, 4);
    REQUIRE(w.size() == 4);
    CHECK(w[0] == Approx(5.0 / 12));
    CHECK(w[1] == Approx(3.0 / 12));
    CHECK(w[2] == Approx(2.0 / 12));
    CHECK(w[3] == 0.0);
    CHECK(modes_found(w) == 3);
    // (5/12 − 3/12)² + 0 + (2/12 − 3/12)² + (3/12)² = 14/144.
    CHECK(mode_mse_sum(w, exact) == Approx(14.0 / 144));
    CHECK(mode_mse_mean(w, exact) == Approx(14.0 / 576));
    const double h = -(5.0 / 12 * std::log(5.0 / 12) + 3.0 / 12 * std::log(3.0 / 12) + 2.0 / 12 * std::log(2.0 / 12));
    CHECK(entropic_mode_coverage(w) == Approx(h / std::log(4.0)));
  }
}

TEST_CASE("entropic mode coverage limits and input errors", "[metrics][modes][mpi]") {
  Comm comm;
  CHECK(entropic_mode_coverage({0.25, 0.25, 0.25, 0.25}) == Approx(1.0));
  CHECK(entropic_mode_coverage({1.0, 0.0, 0.0}) == 0.0);
  CHECK(entropic_mode_coverage({0.5, 0.5, 0.0, 0.0}) == Approx(0.5));
  CHECK(entropic_mode_coverage({0.7}) == 1.0);
  CHECK(entropic_mode_coverage({0.0}) == 0.0);
  CHECK_THROWS_AS(mode_mse_sum({0.5, 0.5}, {1.0}), InputError);
  const auto lab = local_values(std::vector<int>{0, 1, 4, 1}, slice_of(comm, 4));
  CHECK_THROWS(mode_counts(comm, lab, 3));  // label 4 ≥ K: thrown on every rank
  CHECK_THROWS_AS(mode_counts(comm, lab, 0), InputError);
}
