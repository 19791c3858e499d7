// require_finite: one NaN or Inf on any rank is a NumericalError on every rank (what the driver
// relies on to never write a NaN output file); finite data pass.
#include <cmath>
#include <limits>

#include "DistributedSample.hpp"
#include "boltzflow/metrics/SampleChecks.hpp"
#include "catch_compat.hpp"

using namespace testutil;

TEST_CASE("require_finite fails on every rank when one rank holds a NaN or Inf", "[metrics][mpi]") {
  Comm comm;
  const std::int64_t n = 50;
  const auto full = gaussian_sample(n, 2, 3);
  const auto s = slice_of(comm, n);
  const auto x = local_rows(full, s);
  Scalars v("v", s.size());
  Kokkos::deep_copy(v, 1.0);
  CHECK_NOTHROW(metrics::require_finite(comm, x, "x"));
  CHECK_NOTHROW(metrics::require_finite(comm, v, "v"));
  for (double bad : {std::numeric_limits<double>::quiet_NaN(), -std::numeric_limits<double>::infinity()}) {
    // Row 37 lies on the last rank only.
    auto hx = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), x);
    auto hv = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), v);
    if (37 >= s.begin && 37 < s.end) {
      hx(37 - s.begin, 1) = bad;
      hv(37 - s.begin) = bad;
    }
    Particles xb("xb", x.extent(0), x.extent(1));
    Scalars vb("vb", v.extent(0));
    Kokkos::deep_copy(xb, hx);
    Kokkos::deep_copy(vb, hv);
    CHECK_THROWS_WITH(metrics::require_finite(comm, xb, "samples"), Catch::Contains("samples: 1 non-finite"));
    CHECK_THROWS_WITH(metrics::require_finite(comm, vb, "energies"), Catch::Contains("energies: 1 non-finite"));
    CHECK_THROWS_AS(metrics::require_finite(comm, vb, "energies"), NumericalError);
  }
}

TEST_CASE("require_energies: NaN and -inf fail on every rank, +inf (zero density) passes", "[metrics][mpi]") {
  Comm comm;
  const std::int64_t n = 50;
  const auto s = slice_of(comm, n);
  const double inf = std::numeric_limits<double>::infinity();
  const auto with = [&](double value) {  // 1.0 everywhere, `value` at global row 41 (the last rank)
    Scalars U("U", s.size());
    auto h = Kokkos::create_mirror_view(U);
    for (std::int64_t i = s.begin; i < s.end; ++i) h(i - s.begin) = i == 41 ? value : 1.0;
    Kokkos::deep_copy(U, h);
    return U;
  };
  CHECK_NOTHROW(metrics::require_energies(comm, with(1.0), "U"));
  CHECK_NOTHROW(metrics::require_energies(comm, with(inf), "U"));  // e.g. inside a hard truncation
  CHECK_THROWS_WITH(metrics::require_energies(comm, with(-inf), "U"), Catch::Contains("U: 1 NaN or -inf"));
  CHECK_THROWS_AS(metrics::require_energies(comm, with(std::numeric_limits<double>::quiet_NaN()), "U"), NumericalError);
}
