#include <cmath>
#include <limits>
#include <vector>

#include "DistributedSample.hpp"
#include "boltzflow/core/Error.hpp"
#include "boltzflow/metrics/PositiveFraction.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;
using namespace boltzflow::metrics;
using testutil::local_rows;
using testutil::local_values;
using testutil::slice_of;

namespace {
// 12 rows × 5 columns; columns 1 and 3 (first = 1, stride = 2) get known sign patterns, the
// others are negative so that a wrong column choice shows: row i has x_1 > 0 for i < 9 and
// x_3 > 0 for i % 4 == 0 (rows 0, 4, 8). x = 0 counts as not positive.
HostParticles signed_rows() {
  HostParticles x("signed_rows", 12, 5);
  for (int i = 0; i < 12; ++i) {
    for (int k = 0; k < 5; ++k) x(i, k) = -1.0 - i;
    x(i, 1) = i < 9 ? 0.5 + i : (i == 9 ? 0.0 : -2.0);
    x(i, 3) = i % 4 == 0 ? 3.0 : -0.25;
  }
  return x;
}
}  // namespace

TEST_CASE("positive fractions of a hand-built sample", "[metrics][positive_fraction][mpi]") {
  Comm comm;
  const auto full = signed_rows();
  for (const bool empty_last : {false, true}) {
    const auto x = local_rows(full, slice_of(comm, 12, empty_last));
    const auto f = positive_fractions(comm, x, 1, 2, 2);
    REQUIRE(f.per_column.size() == 2);
    CHECK(f.per_column[0] == Approx(9.0 / 12).epsilon(1e-15));
    CHECK(f.per_column[1] == Approx(3.0 / 12).epsilon(1e-15));
    CHECK(f.min == Approx(0.25).epsilon(1e-15));
    CHECK(f.max == Approx(0.75).epsilon(1e-15));
    CHECK(f.mean == Approx(0.5).epsilon(1e-15));
    CHECK(positive_fractions(comm, x, 0, 1, 1).mean == 0.0);  // column 0 is all negative
  }
}

TEST_CASE("importance-weighted positive fractions of a hand-built sample", "[metrics][positive_fraction][mpi]") {
  Comm comm;
  const auto full = signed_rows();
  // Weights w_i = 1 + i (shifted by 700 in log space: e^λ overflows without the max shift), row 11
  // has weight 0 (λ = −∞). Column 1: Σ_{i<9}(1+i) / Σ_{i<11}(1+i) = 45/66; column 3: (1+5+9)/66.
  std::vector<double> lw(12);
  for (int i = 0; i < 12; ++i) lw[i] = i == 11 ? -std::numeric_limits<double>::infinity() : 700 + std::log(1.0 + i);
  for (const bool empty_last : {false, true}) {
    const auto s = slice_of(comm, 12, empty_last);
    const auto x = local_rows(full, s);
    const auto f = weighted_positive_fractions(comm, x, local_values(lw, s), 1, 2, 2);
    CHECK(f.per_column[0] == Approx(45.0 / 66).epsilon(1e-13));
    CHECK(f.per_column[1] == Approx(15.0 / 66).epsilon(1e-13));
    CHECK(f.mean == Approx(30.0 / 66).epsilon(1e-13));
    // Equal weights reproduce the plain fractions.
    const std::vector<double> flat(12, -3.5);
    CHECK(weighted_positive_fractions(comm, x, local_values(flat, s), 1, 2, 2).mean == Approx(0.5).epsilon(1e-14));
  }
}

TEST_CASE("positive fractions reject bad columns and non-finite weights", "[metrics][positive_fraction]") {
  Comm comm;
  const auto x = local_rows(signed_rows(), {0, 12});
  CHECK_THROWS_AS(positive_fractions(comm, x, 1, 2, 3), InputError);  // column 5 of 5
  CHECK_THROWS_AS(positive_fractions(comm, x, 0, 2, 0), InputError);
  std::vector<double> lw(12, 0.0);
  lw[3] = std::nan("");
  CHECK_THROWS_AS(weighted_positive_fractions(comm, x, local_values(lw, {0, 12}), 1, 2, 2), NumericalError);
  const std::vector<double> zero(12, -std::numeric_limits<double>::infinity());
  CHECK_THROWS_AS(weighted_positive_fractions(comm, x, local_values(zero, {0, 12}), 1, 2, 2), NumericalError);
}
