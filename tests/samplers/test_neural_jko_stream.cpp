// nJKO's sample containers: even shares against Decomposition::even, PrefixStream::take
// handing every rank the right consecutive global rows for uneven requests spanning several
// stacks (rows labelled by their stream index; reference = index arithmetic), and the count of
// non-finite rows against a hand-placed set.
#include <cmath>
#include <limits>
#include <vector>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/samplers/Sampler.hpp"
#include "boltzflow/samplers/neural_jko/PrefixStream.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;
using namespace boltzflow::neural_jko;

namespace {

// This rank's even share of a stack [first, first + size): row i holds (i, 10 i, −i) at stream
// index first + offset + i.
Batch labelled_share(const Comm& comm, std::int64_t first, std::int64_t size) {
  const auto sh = even_share(size, comm.size(), comm.rank());
  Batch b(sh.count, 2);
  auto hx = Kokkos::create_mirror_view(b.x);
  auto he = Kokkos::create_mirror_view(b.e);
  for (std::int64_t i = 0; i < sh.count; ++i) {
    const double g = double(first + sh.offset + i);
    hx(i, 0) = g;
    hx(i, 1) = 10 * g;
    he(i) = -g;
  }
  Kokkos::deep_copy(b.x, hx);
  Kokkos::deep_copy(b.e, he);
  return b;
}

}  // namespace

TEST_CASE("nJKO even_share: the layout of Decomposition::even", "[samplers][neural_jko][mpi]") {
  Comm comm;
  for (std::int64_t n : {0, 1, 2, 3, 7, 1000, 1001}) {
    const auto dec = Decomposition::even(comm, n);
    const auto sh = even_share(n, comm.size(), comm.rank());
    CHECK(sh.offset == dec.offset);
    CHECK(sh.count == dec.local);
    // Shares tile [0, n) for any rank count.
    std::int64_t next = 0;
    for (int p = 0; p < 5; ++p) {
      const auto s5 = even_share(n, 5, p);
      CHECK(s5.offset == next);
      next += s5.count;
    }
    CHECK(next == n);
  }
}

TEST_CASE("nJKO PrefixStream: takes hand out consecutive global rows in rank order", "[samplers][neural_jko][mpi]") {
  Comm comm;
  const int P = comm.size(), me = comm.rank();
  PrefixStream s(2);
  std::int64_t tail = 0;
  for (std::int64_t size : {7, 0, 13, 1, 40}) {
    s.push_stack(comm, labelled_share(comm, tail, size), size);
    tail += size;
  }
  CHECK(s.buffered() == tail);
  std::int64_t head = 0;
  // Uneven requests (some ranks ask for none), across stack boundaries; the last empties it.
  const std::vector<std::vector<std::int64_t>> requests = {{3, 5}, {0, 9}, {6, 0}, {0, 0}, {1, 1}, {12, 10}};
  for (const auto& req : requests) {
    std::vector<std::int64_t> n(P);
    for (int p = 0; p < P; ++p) n[p] = req[p % 2] + (p >= 2 ? 1 : 0);
    std::int64_t before = 0, total = 0;
    for (int p = 0; p < P; ++p) {
      if (p < me) before += n[p];
      total += n[p];
    }
    if (head + total > tail) break;
    Batch b = s.take(comm, n[me]);
    REQUIRE(b.size() == n[me]);
    auto hx = Kokkos::create_mirror_view_and_copy(HostSpace(), b.x);
    auto he = Kokkos::create_mirror_view_and_copy(HostSpace(), b.e);
    int wrong = 0;
    for (std::int64_t i = 0; i < b.size(); ++i) {
      const double g = double(head + before + i);
      wrong += hx(i, 0) != g || hx(i, 1) != 10 * g || he(i) != -g;
    }
    CHECK(comm.sum(std::int64_t(wrong)) == 0);
    head += total;
    CHECK(s.buffered() == tail - head);
  }
  CHECK(head > 21);  // the requests reached the last stack (indices 21..60)
  // A stack appended after partial consumption continues the indices.
  s.push_stack(comm, labelled_share(comm, tail, 5), 5);
  tail += 5;
  Batch b = s.take(comm, me == 0 ? tail - head : 0);
  auto hx = Kokkos::create_mirror_view_and_copy(HostSpace(), b.x);
  for (std::int64_t i = 0; i < b.size(); ++i) CHECK(hx(i, 0) == double(head + i));
  CHECK(s.buffered() == 0);
  s.clear();
  CHECK(s.buffered() == 0);
}

TEST_CASE("nJKO count_nonfinite: rows with a NaN/Inf coordinate or energy", "[samplers][neural_jko]") {
  Batch b(6, 3);
  Kokkos::deep_copy(b.x, 1.5);
  Kokkos::deep_copy(b.e, -2.0);
  CHECK(count_nonfinite(b) == 0);
  auto hx = Kokkos::create_mirror_view_and_copy(HostSpace(), b.x);
  auto he = Kokkos::create_mirror_view_and_copy(HostSpace(), b.e);
  hx(1, 2) = std::nan("");                                 // row 1: NaN coordinate
  hx(3, 0) = -std::numeric_limits<double>::infinity();     // row 3: −Inf coordinate
  he(3) = std::nan("");                                    //        and NaN energy (still one row)
  he(5) = std::numeric_limits<double>::infinity();         // row 5: Inf energy
  Kokkos::deep_copy(b.x, hx);
  Kokkos::deep_copy(b.e, he);
  CHECK(count_nonfinite(b) == 3);
  CHECK(count_nonfinite(Batch(0, 3)) == 0);
}
