#pragma once
// The BLAS's own thread pool. boltzflow's parallelism is MPI ranks × Kokkos host threads; an
// OpenBLAS that starts one thread per core of the node for every GEMM oversubscribes the cores
// and, for the small GEMMs of the jets, costs more than it gains (measured: one Serial rank on
// 2 cores, the ring-8 Annealing Flow iteration takes 126 ms with OpenBLAS's default threads,
// 41 ms with 1). So, unless the user sets OPENBLAS_NUM_THREADS, OpenBLAS gets as many threads
// as the rank's Kokkos host execution space (Serial: 1; OpenMP: its threads).
#include <string>

namespace boltzflow {

// Sets OpenBLAS to the host execution space's concurrency when the process uses OpenBLAS (found
// at run time, so any BLAS may be linked) and OPENBLAS_NUM_THREADS is unset. Returns a line for
// the banner.
std::string limit_blas_threads();

// OpenBLAS's current thread count, or -1 when the process does not use OpenBLAS.
int blas_threads();

}  // namespace boltzflow
