#pragma once
// Memory use of this process, for the progress lines and /metrics: the peak resident set of
// the host process (getrusage, what a batch system's memory limit counts) and, on a GPU
// build, the device memory in use now (all processes on the device: cudaMemGetInfo).
#include <cstdint>

namespace boltzflow {

std::int64_t peak_host_rss_bytes();
std::int64_t device_used_bytes();  // 0 without a GPU backend

}  // namespace boltzflow
