#include "boltzflow/core/Memory.hpp"

#include <sys/resource.h>

#include <Kokkos_Core.hpp>

namespace boltzflow {

std::int64_t peak_host_rss_bytes() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return std::int64_t(u.ru_maxrss) * 1024;  // Linux reports KiB
}

std::int64_t device_used_bytes() {
#if defined(KOKKOS_ENABLE_CUDA)
  std::size_t free = 0, total = 0;
  if (cudaMemGetInfo(&free, &total) == cudaSuccess) return std::int64_t(total - free);
#endif
  return 0;
}

}  // namespace boltzflow
