#include "boltzflow/core/BlasThreads.hpp"

#include <dlfcn.h>

#include <Kokkos_Core.hpp>
#include <cstdlib>
#include <string>

namespace boltzflow {

namespace {
template <class Fn>
Fn openblas(const char* name) {
  return reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, name));
}
}  // namespace

int blas_threads() {
  const auto get = openblas<int (*)()>("openblas_get_num_threads");
  return get ? get() : -1;
}

std::string limit_blas_threads() {
  const auto set = openblas<void (*)(int)>("openblas_set_num_threads");
  if (!set) return "BLAS: not OpenBLAS, its threads left as they are";
  if (const char* env = std::getenv("OPENBLAS_NUM_THREADS"))
    return std::string("BLAS: OpenBLAS, OPENBLAS_NUM_THREADS=") + env + " (from the environment)";
  const int n = Kokkos::DefaultHostExecutionSpace().concurrency();
  set(n);
  return "BLAS: OpenBLAS, " + std::to_string(n) + " thread(s) per rank, as the Kokkos host space (set OPENBLAS_NUM_THREADS to change)";
}

}  // namespace boltzflow
