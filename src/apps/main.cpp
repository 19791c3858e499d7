// boltzflow: MPI -> Kokkos -> deck -> sampler -> metrics -> HDF5. Everything lives in the
// library; this file only owns the initialisation order.
#include <mpi.h>

#include <Kokkos_Core.hpp>

#include "boltzflow/driver/Driver.hpp"

int main(int argc, char* argv[]) {
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  int status = 0;
  {
    Kokkos::ScopeGuard guard(argc, argv);  // consumes the --kokkos-* flags it knows
    status = boltzflow::run_main(argc, argv);
  }  // every View and communicator is gone before Kokkos and MPI finalize
  MPI_Finalize();
  return status;
}
