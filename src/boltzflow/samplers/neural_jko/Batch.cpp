#include "boltzflow/samplers/neural_jko/Batch.hpp"

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Math.hpp"

namespace boltzflow::neural_jko {

Batch copy_rows(const Batch& b, std::int64_t begin, std::int64_t n) {
  BOLTZFLOW_ASSERT(begin >= 0 && n >= 0 && begin + n <= b.size(), "neural_jko::copy_rows: range out of bounds");
  const int d = b.x.extent(1);
  Batch out(n, d);
  const auto pair = std::make_pair(begin, begin + n);
  Kokkos::deep_copy(out.x, Kokkos::subview(b.x, pair, Kokkos::ALL));
  Kokkos::deep_copy(out.e, Kokkos::subview(b.e, pair));
  return out;
}

Batch concatenate(const Batch& a, const Batch& b) {
  const int d = a.size() > 0 ? int(a.x.extent(1)) : int(b.x.extent(1));
  BOLTZFLOW_ASSERT(a.size() == 0 || b.size() == 0 || a.x.extent(1) == b.x.extent(1),
                   "neural_jko::concatenate: dimensions differ");
  Batch out(a.size() + b.size(), d);
  if (a.size() > 0) {
    const auto pa = std::make_pair(std::int64_t(0), a.size());
    Kokkos::deep_copy(Kokkos::subview(out.x, pa, Kokkos::ALL), a.x);
    Kokkos::deep_copy(Kokkos::subview(out.e, pa), a.e);
  }
  if (b.size() > 0) {
    const auto pb = std::make_pair(a.size(), a.size() + b.size());
    Kokkos::deep_copy(Kokkos::subview(out.x, pb, Kokkos::ALL), b.x);
    Kokkos::deep_copy(Kokkos::subview(out.e, pb), b.e);
  }
  return out;
}

std::int64_t count_nonfinite(const Batch& b) {
  const auto x = b.x;
  const auto e = b.e;
  const int d = b.size() > 0 ? int(x.extent(1)) : 0;
  std::int64_t bad = 0;
  Kokkos::parallel_reduce(
      "boltzflow::neural_jko::count_nonfinite", Kokkos::RangePolicy<ExecSpace>(0, b.size()),
      KOKKOS_LAMBDA(const int i, std::int64_t& c) {
        bool ok = kmath::isfinite(e(i));
        for (int j = 0; j < d; ++j) ok = ok && kmath::isfinite(x(i, j));
        c += ok ? 0 : 1;
      },
      bad);
  return bad;
}

}  // namespace boltzflow::neural_jko
