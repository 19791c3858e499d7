#pragma once
// Test helpers: a full sample built deterministically from global ids (identical on every rank),
// of which each rank takes a contiguous slice, so a distributed metric can be compared with a
// direct computation on the full sample at any rank count.
#include <cstdint>
#include <vector>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/core/Types.hpp"

namespace testutil {
using namespace boltzflow;

struct Slice {
  std::int64_t begin = 0, end = 0;
  std::int64_t size() const { return end - begin; }
};

// Contiguous split of n items over the ranks; with empty_last (and > 1 rank) the last rank gets none.
inline Slice slice_of(const Comm& comm, std::int64_t n, bool empty_last = false) {
  const int parts = (empty_last && comm.size() > 1) ? comm.size() - 1 : comm.size();
  if (comm.rank() >= parts) return {n, n};
  return {n * comm.rank() / parts, n * (comm.rank() + 1) / parts};
}

// (n, d) rows x_i = shift + scale·z_i with z_i ~ N(0, I) drawn from global id i.
inline HostParticles gaussian_sample(std::int64_t n, int d, std::uint64_t seed, double shift = 0, double scale = 1) {
  const Rng rng(seed, Stream::exact_samples);
  HostParticles x("full_sample", n, d);
  for (std::int64_t i = 0; i < n; ++i)
    for (int k = 0; k < d; ++k) x(i, k) = shift + scale * rng.normal(static_cast<std::uint64_t>(i), 0, k);
  return x;
}

// This rank's rows of a full sample, on the device. An empty slice gives a (0, 0) View, as a
// rank that never allocated would pass.
inline Particles local_rows(const HostParticles& full, const Slice& s) {
  if (s.size() == 0) return Particles("empty", 0, 0);
  Particles x("local_rows", s.size(), full.extent(1));
  Kokkos::deep_copy(x, Kokkos::subview(full, Kokkos::make_pair(s.begin, s.end), Kokkos::ALL));
  return x;
}

template <class T>
Vector<T> local_values(const std::vector<T>& full, const Slice& s) {
  Vector<T> v("local_values", s.size());
  auto h = Kokkos::create_mirror_view(v);
  for (std::int64_t i = 0; i < s.size(); ++i) h(i) = full[s.begin + i];
  Kokkos::deep_copy(v, h);
  return v;
}

// Columns [s.begin, s.end) of a (steps × chains) host array: this rank's chains.
inline Matrix<Real, HostSpace> local_chains(const Matrix<Real, HostSpace>& full, const Slice& s) {
  Matrix<Real, HostSpace> c("local_chains", full.extent(0), s.size());
  for (std::size_t t = 0; t < full.extent(0); ++t)
    for (std::int64_t j = 0; j < s.size(); ++j) c(t, j) = full(t, s.begin + j);
  return c;
}

}  // namespace testutil
