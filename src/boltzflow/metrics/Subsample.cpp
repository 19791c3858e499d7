#include "boltzflow/metrics/Subsample.hpp"

#include "boltzflow/core/Rng.hpp"
#include "boltzflow/metrics/SampleChecks.hpp"

namespace boltzflow::metrics {

Particles subsample_rows(const Comm& comm, const Particles& x, std::int64_t offset, std::int64_t keep,
                         std::uint64_t seed) {
  const auto n = global_rows(comm, x);
  if (keep >= n) return x;
  const double p = double(keep) / double(n);
  const Rng rng(seed, Stream::metrics);
  const std::int64_t local = x.extent(0);
  const int d = x.extent(1);
  // Exclusive scan of the keep flags gives each kept row its slot.
  Kokkos::View<std::int64_t*, MemSpace> slot("boltzflow::metrics::subsample_slot", local);
  std::int64_t kept = 0;
  Kokkos::parallel_scan(
      "boltzflow::metrics::subsample_scan", Kokkos::RangePolicy<ExecSpace>(0, local),
      KOKKOS_LAMBDA(const std::int64_t i, std::int64_t& sum, const bool final) {
        const bool k = rng.uniform(static_cast<std::uint64_t>(offset + i), 0, 0) < p;
        if (final) slot(i) = k ? sum : -1;
        sum += k ? 1 : 0;
      },
      kept);
  Particles out("boltzflow::metrics::subsample", kept, d);
  Kokkos::parallel_for(
      "boltzflow::metrics::subsample_copy", Kokkos::RangePolicy<ExecSpace>(0, local), KOKKOS_LAMBDA(const std::int64_t i) {
        if (slot(i) >= 0)
          for (int k = 0; k < d; ++k) out(slot(i), k) = x(i, k);
      });
  return out;
}

}  // namespace boltzflow::metrics
