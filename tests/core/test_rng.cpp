#include <cmath>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/core/Types.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;

TEST_CASE("Philox uniforms and normals have the right first moments", "[core][rng]") {
  const int n = 200000;
  Rng rng(1234, Stream::metrics);
  double su = 0, su2 = 0, sn = 0, sn2 = 0, sn4 = 0, sr = 0;
  Kokkos::parallel_reduce(
      "test::rng_moments", Kokkos::RangePolicy<HostExecSpace>(0, n),
      [&](int i, double& a) { a += rng.uniform(i, 0, 0); }, su);
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform(i, 7, 3), z = rng.normal(i, 7, 5), r = rng.rademacher(i, 7, 2);
    REQUIRE(u > 0.0);
    REQUIRE(u < 1.0);
    su2 += u * u;
    sn += z;
    sn2 += z * z;
    sn4 += z * z * z * z;
    sr += r;
  }
  // 6-sigma bounds for the sample moments of n independent draws.
  CHECK(std::abs(su / n - 0.5) < 6 * std::sqrt(1.0 / 12 / n));
  CHECK(std::abs(su2 / n - 1.0 / 3) < 6 * std::sqrt(4.0 / 45 / n));
  CHECK(std::abs(sn / n) < 6 / std::sqrt(n));
  CHECK(std::abs(sn2 / n - 1.0) < 6 * std::sqrt(2.0 / n));
  CHECK(std::abs(sn4 / n - 3.0) < 6 * std::sqrt(96.0 / n));
  CHECK(std::abs(sr / n) < 6 / std::sqrt(n));
}

TEST_CASE("Philox draws are a pure function of (seed, stream, id, step, k)", "[core][rng]") {
  Rng a(99, Stream::mcmc_proposal), b(99, Stream::mcmc_proposal), c(99, Stream::mcmc_accept), d(100, Stream::mcmc_proposal);
  CHECK(a.normal(5, 3, 1) == b.normal(5, 3, 1));
  CHECK(a.normal(5, 3, 1) != c.normal(5, 3, 1));
  CHECK(a.normal(5, 3, 1) != d.normal(5, 3, 1));
  CHECK(a.normal(5, 3, 1) != a.normal(6, 3, 1));
  CHECK(a.normal(5, 3, 1) != a.normal(5, 4, 1));
  CHECK(a.normal(5, 3, 0) != a.normal(5, 3, 1));
  CHECK(a.uniform(std::uint64_t(1) << 40, 0, 0) != a.uniform(0, 0, 0));  // high id bits are used
}

TEST_CASE("Comm collectives agree with closed forms", "[core][mpi]") {
  Comm comm;
  const int p = comm.size(), r = comm.rank();
  CHECK(comm.sum(double(r + 1)) == Approx(p * (p + 1) / 2.0));
  CHECK(comm.exscan(std::int64_t(r + 1)) == std::int64_t(r * (r + 1) / 2));
  CHECK(comm.max(double(r)) == double(p - 1));
  CHECK(comm.any(r == p - 1));
  CHECK_FALSE(comm.any(false));
  Vector<Real> v("v", 3);
  Kokkos::deep_copy(v, double(r));
  comm.allreduce_sum(v);
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), v);
  CHECK(h(2) == Approx(p * (p - 1) / 2.0));
  Matrix<Real, HostSpace> local("local", r + 1, 2);
  Kokkos::deep_copy(local, double(r));
  auto all = comm.allgather_rows(local);
  REQUIRE(all.extent(0) == std::size_t(p * (p + 1) / 2));
  CHECK(all(all.extent(0) - 1, 1) == double(p - 1));
  std::string s = r == 0 ? "deck text" : "";
  comm.broadcast(s);
  CHECK(s == "deck text");
}
