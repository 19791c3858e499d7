// Writes N particle paths × frames × d through io::TrajectoryWriter (collective, one frame at a
// time, as a sampler does) and reports the write time, the rate, the file size against the raw
// array and each rank's peak RSS. Not a test: tools/bench/run_trajectory_bench.sh runs it with
// h5py read timings (tools/bench/read_trajectories.py) and /usr/bin/time -v.
//   usage: bench_trajectories N FRAMES D PATH [DEFLATE]
// The paths are straight lines from Gaussian starts with Gaussian velocities (x = z0 + 0.1 f z1):
// full-entropy float64 mantissas like real samples, so the compression ratio is not flattered.
#include <sys/resource.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/io/TrajectoryWriter.hpp"

using namespace boltzflow;

int main(int argc, char* argv[]) {
  MPI_Init(&argc, &argv);
  int rc = 0;
  {
    Kokkos::ScopeGuard guard(argc, argv);
    Comm comm;
    if (argc < 5) {
      if (comm.root()) std::fprintf(stderr, "usage: bench_trajectories N FRAMES D PATH [DEFLATE]\n");
      rc = 2;
    } else {
      const std::int64_t n = std::atoll(argv[1]);
      const int frames = std::atoi(argv[2]), d = std::atoi(argv[3]);
      const std::string path = argv[4];
      const int deflate = argc > 5 ? std::atoi(argv[5]) : io::TrajectoryWriter::default_deflate;
      const std::int64_t local = n / comm.size() + (comm.rank() < n % comm.size() ? 1 : 0);
      const std::int64_t offset = comm.exscan(local);
      std::vector<double> times;
      for (int f = 0; f < frames; ++f) times.push_back(f);

      const Rng rng(1, Stream::flow_base);
      HostParticles frame("frame", local, d);
      double seconds = 0, t0 = MPI_Wtime();
      io::TrajectoryWriter w(comm, path, local, d, times, deflate);
      seconds += MPI_Wtime() - t0;
      for (int f = 0; f < frames; ++f) {
        for (std::int64_t i = 0; i < local; ++i)  // generating a frame is not timed
          for (int k = 0; k < d; ++k)
            frame(i, k) = rng.normal(offset + i, 0, k) + 0.1 * f * rng.normal(offset + i, 1, k);
        comm.barrier();
        t0 = MPI_Wtime();
        w.write_frame(f, frame);
        seconds += MPI_Wtime() - t0;
      }
      const bool collective = w.collective();
      const auto chunk = w.chunk_rows();
      const std::string note = w.compression_note();
      t0 = MPI_Wtime();
      w.commit();
      seconds = comm.max(seconds + MPI_Wtime() - t0);
      rusage ru{};
      getrusage(RUSAGE_SELF, &ru);
      const double rss_mb = double(ru.ru_maxrss) / 1024.0, rss_max = comm.max(rss_mb);
      if (comm.root()) {
        struct stat st {};
        stat(path.c_str(), &st);
        const double raw = double(n) * frames * d * 8, file = double(st.st_size);
        std::printf(
            "RESULT ranks=%d n=%lld frames=%d d=%d deflate=%d chunk=%lldx1x%d collective=%d write_s=%.3f MB_per_s=%.1f "
            "raw_MB=%.1f file_MB=%.1f ratio=%.3f frame_MB_per_rank=%.1f peak_rss_MB_max=%.1f (%s)\n",
            comm.size(), (long long)n, frames, d, deflate, (long long)chunk, d, int(collective), seconds,
            raw / 1e6 / seconds, raw / 1e6, file / 1e6, raw / file, double(local) * d * 8 / 1e6, rss_max, note.c_str());
      }
    }
  }
  MPI_Finalize();
  return rc;
}
