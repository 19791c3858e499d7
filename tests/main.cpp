// Test main: MPI, then one Kokkos ScopeGuard, then Catch; ranks != 0 report nowhere and
// any rank's failure fails the run (MPI_MAX of the result).
#define CATCH_CONFIG_RUNNER
#include <fenv.h>
#include <mpi.h>

#include <Kokkos_Core.hpp>

#include "catch_compat.hpp"

int main(int argc, char* argv[]) {
  MPI_Init(&argc, &argv);
  int rank = 0, result = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  {
    Kokkos::ScopeGuard guard(argc, argv);
    feenableexcept(FE_INVALID);  // a NaN born in a kernel under test fails loudly
    Catch::Session session;
    int rc = session.applyCommandLine(argc, argv);
    if (rc == 0) {
      if (rank != 0) session.configData().outputFilename = "%debug";
      result = session.run();
    } else {
      result = rc;
    }
  }
  int global = 0;
  MPI_Allreduce(&result, &global, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  MPI_Finalize();
  return global;
}
