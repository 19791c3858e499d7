// Time of the gradient allreduce alone: MPI_Allreduce(SUM) of P doubles, the call
// nn::average_gradients makes once per training step (P = the network's parameter count).
//   mpirun -np R bench_allreduce P [P ...] [--reps K]
// Prints per P: bytes, minimum and median seconds over K calls (after 10 warm-up calls), and
// the implied bus bandwidth 2(R-1)/R * bytes / time of a ring allreduce.
#include <mpi.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

int main(int argc, char* argv[]) {
  MPI_Init(&argc, &argv);
  int rank = 0, ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  std::vector<long> sizes;
  int reps = 200;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--reps" && i + 1 < argc) reps = std::atoi(argv[++i]);
    else sizes.push_back(std::atol(argv[i]));
  }
  if (sizes.empty() || reps < 1) {
    if (rank == 0) std::fprintf(stderr, "usage: bench_allreduce P [P ...] [--reps K]\n");
    MPI_Finalize();
    return 2;
  }
  for (const long p : sizes) {
    std::vector<double> g(p, 1.0 + rank), out(p);
    std::vector<double> t;
    for (int r = -10; r < reps; ++r) {
      MPI_Barrier(MPI_COMM_WORLD);
      const double t0 = MPI_Wtime();
      MPI_Allreduce(g.data(), out.data(), int(p), MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
      double dt = MPI_Wtime() - t0, slowest = 0;
      MPI_Allreduce(&dt, &slowest, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);  // a step waits for the slowest rank
      if (r >= 0) t.push_back(slowest);
    }
    std::sort(t.begin(), t.end());
    const double bytes = 8.0 * p, med = t[t.size() / 2];
    if (rank == 0)
      std::printf("RESULT ranks=%d params=%ld bytes=%.0f min_s=%.3e median_s=%.3e busbw_GBps=%.3f\n", ranks, p, bytes,
                  t.front(), med, ranks > 1 ? 2.0 * (ranks - 1) / ranks * bytes / med / 1e9 : 0.0);
  }
  MPI_Finalize();
  return 0;
}
