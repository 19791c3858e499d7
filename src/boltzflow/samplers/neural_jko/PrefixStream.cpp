#include "boltzflow/samplers/neural_jko/PrefixStream.hpp"

#include <mpi.h>

#include <algorithm>
#include <climits>
#include <vector>

#include "boltzflow/core/Error.hpp"

namespace boltzflow::neural_jko {

EvenShare even_share(std::int64_t total, int ranks, int rank) {
  const std::int64_t base = total / ranks, extra = total % ranks;
  return {rank * base + std::min<std::int64_t>(rank, extra), base + (rank < extra ? 1 : 0)};
}

void PrefixStream::push_stack(const Comm& comm, Batch part, std::int64_t size) {
  BOLTZFLOW_ASSERT(part.size() == even_share(size, comm.size(), comm.rank()).count,
                   "neural_jko::PrefixStream: a stack part is not this rank's even share");
  BOLTZFLOW_ASSERT(part.size() == 0 || int(part.x.extent(1)) == dim_, "neural_jko::PrefixStream: wrong dimension");
  stacks_.push_back({tail_, size, std::move(part)});
  tail_ += size;
}

void PrefixStream::clear() {
  stacks_.clear();
  head_ = tail_ = 0;
}

Batch PrefixStream::take(const Comm& comm, std::int64_t n) {
  const int P = comm.size(), me = comm.rank();
  const auto counts = comm.allgather(n);
  std::vector<std::int64_t> start(P + 1, head_);  // rank q requests [start[q], start[q + 1])
  for (int q = 0; q < P; ++q) start[q + 1] = start[q] + counts[q];
  BOLTZFLOW_ASSERT(start[P] <= tail_, "neural_jko::PrefixStream::take: more rows requested than buffered");
  Batch out(n, dim_);
  if (start[P] == head_) return out;

  // The overlap of rank p's share of stack s with [lo, hi), as stream indices.
  const auto overlap = [&](const Stack& s, int p, std::int64_t lo, std::int64_t hi) {
    const auto sh = even_share(s.size, P, p);
    return std::make_pair(std::max(s.first + sh.offset, lo), std::min(s.first + sh.offset + sh.count, hi));
  };
  const int w = dim_ + 1;  // a row travels as (x, e)
  std::vector<double> send, recv(std::size_t(n) * w);
  std::vector<int> scount(P), sdispl(P), rcount(P), rdispl(P);
  for (int q = 0; q < P; ++q) {  // what this rank holds of each request, in stream order
    sdispl[q] = static_cast<int>(send.size());
    for (const auto& s : stacks_) {
      const auto [lo, hi] = overlap(s, me, start[q], start[q + 1]);
      if (lo >= hi) continue;
      const std::int64_t first = s.first + even_share(s.size, P, me).offset;
      const auto r = std::make_pair(lo - first, hi - first);
      const auto hx = Kokkos::create_mirror_view_and_copy(HostSpace(), Kokkos::subview(s.part.x, r, Kokkos::ALL));
      const auto he = Kokkos::create_mirror_view_and_copy(HostSpace(), Kokkos::subview(s.part.e, r));
      for (std::int64_t i = 0; i < hi - lo; ++i) {
        for (int j = 0; j < dim_; ++j) send.push_back(hx(i, j));
        send.push_back(he(i));
      }
    }
    BOLTZFLOW_ASSERT(send.size() < std::size_t(INT_MAX), "neural_jko::PrefixStream: exchange too large for MPI counts");
    scount[q] = static_cast<int>(send.size()) - sdispl[q];
  }
  // Where the rows from rank p land: p's segments arrive in stream order.
  struct Segment {
    std::int64_t pos, len;
  };
  std::vector<Segment> segments;
  int displ = 0;
  for (int p = 0; p < P; ++p) {
    rdispl[p] = displ;
    for (const auto& s : stacks_) {
      const auto [lo, hi] = overlap(s, p, start[me], start[me + 1]);
      if (lo >= hi) continue;
      segments.push_back({lo - start[me], hi - lo});
      displ += static_cast<int>((hi - lo) * w);
    }
    rcount[p] = displ - rdispl[p];
  }
  MPI_Alltoallv(send.data(), scount.data(), sdispl.data(), MPI_DOUBLE, recv.data(), rcount.data(), rdispl.data(),
                MPI_DOUBLE, comm.raw());

  auto hx = Kokkos::create_mirror_view(out.x);
  auto he = Kokkos::create_mirror_view(out.e);
  std::size_t k = 0;
  for (const auto& seg : segments)
    for (std::int64_t i = seg.pos; i < seg.pos + seg.len; ++i) {
      for (int j = 0; j < dim_; ++j) hx(i, j) = recv[k++];
      he(i) = recv[k++];
    }
  BOLTZFLOW_ASSERT(k == recv.size(), "neural_jko::PrefixStream::take: received rows do not cover the request");
  Kokkos::deep_copy(out.x, hx);
  Kokkos::deep_copy(out.e, he);

  head_ = start[P];
  while (!stacks_.empty() && stacks_.front().first + stacks_.front().size <= head_) stacks_.pop_front();
  return out;
}

}  // namespace boltzflow::neural_jko
