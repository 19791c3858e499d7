// limit_blas_threads: an OpenBLAS in the process gets the Kokkos host space's threads unless the
// user set OPENBLAS_NUM_THREADS (the jets' small GEMMs lose to a node-wide pool, see BlasThreads.hpp).
#include <cstdlib>
#include <string>

#include <Kokkos_Core.hpp>

#include "boltzflow/core/BlasThreads.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;

TEST_CASE("OpenBLAS gets the host space's threads unless OPENBLAS_NUM_THREADS says otherwise", "[nn][blas]") {
  const int host = Kokkos::DefaultHostExecutionSpace().concurrency();
  const char* env = std::getenv("OPENBLAS_NUM_THREADS");
  const std::string keep = env ? env : "";
  if (blas_threads() < 0) {  // this test executable links no OpenBLAS (e.g. the reference BLAS)
    CHECK(limit_blas_threads().find("not OpenBLAS") != std::string::npos);
    return;
  }
  unsetenv("OPENBLAS_NUM_THREADS");
  CHECK(limit_blas_threads().find(std::to_string(host) + " thread") != std::string::npos);
  CHECK(blas_threads() == host);
  setenv("OPENBLAS_NUM_THREADS", "3", 1);
  CHECK(limit_blas_threads().find("OPENBLAS_NUM_THREADS=3") != std::string::npos);
  CHECK(blas_threads() == host);  // untouched: the user's value is what OpenBLAS read at start-up
  if (env) setenv("OPENBLAS_NUM_THREADS", keep.c_str(), 1);
  else unsetenv("OPENBLAS_NUM_THREADS");
}
