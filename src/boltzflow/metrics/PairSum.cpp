#include "boltzflow/metrics/PairSum.hpp"

#include <algorithm>
#include <vector>

namespace boltzflow::metrics {

namespace {
constexpr std::int64_t block_doubles = std::int64_t(1) << 20;  // 8 MiB per streamed block

// Σ_i Σ_{j<rows} f(‖x_i − y_j‖²) over this rank's x and one block of y.
double local_block_sum(const Particles& x, const Particles& y, int rows, PairKernel f) {
  const auto xv = x, yv = y;
  const int d = static_cast<int>(x.extent(1));
  double s = 0;
  Kokkos::parallel_reduce(
      "boltzflow::metrics::pair_sum", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)),
      KOKKOS_LAMBDA(const std::int64_t i, double& acc) {
        for (int j = 0; j < rows; ++j) {
          double r2 = 0;
          for (int k = 0; k < d; ++k) {
            const double t = xv(i, k) - yv(j, k);
            r2 += t * t;
          }
          acc += f(r2);
        }
      },
      s);
  return s;
}
}  // namespace

double global_pair_sum(const Comm& comm, const Particles& x, const Particles& y, PairKernel f) {
  const auto counts = comm.allgather(static_cast<std::int64_t>(y.extent(0)));
  // Global dimension: a rank without rows may hold a View with no columns.
  const std::int64_t d = static_cast<std::int64_t>(comm.max(static_cast<double>(std::max(x.extent(1), y.extent(1)))));
  const std::int64_t block = std::max<std::int64_t>(1, block_doubles / std::max<std::int64_t>(d, 1));
  const auto mine = Kokkos::create_mirror_view_and_copy(HostSpace(), y);
  Matrix<Real, HostSpace> host_block(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pair_sum_host"), block, d);
  Particles dev_block(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pair_sum_block"), block, d);
  double local = 0;
  for (int r = 0; r < comm.size(); ++r) {
    for (std::int64_t off = 0; off < counts[r]; off += block) {
      const std::int64_t rows = std::min(block, counts[r] - off);
      if (comm.rank() == r)
        for (std::int64_t j = 0; j < rows; ++j)
          for (std::int64_t k = 0; k < d; ++k) host_block(j, k) = mine(off + j, k);
      MPI_Bcast(host_block.data(), static_cast<int>(rows * d), MPI_DOUBLE, r, comm.raw());
      const auto rows_range = Kokkos::make_pair(std::int64_t(0), rows);
      Kokkos::deep_copy(Kokkos::subview(dev_block, rows_range, Kokkos::ALL),
                        Kokkos::subview(host_block, rows_range, Kokkos::ALL));
      if (x.extent(0) > 0) local += local_block_sum(x, dev_block, static_cast<int>(rows), f);
    }
  }
  return comm.sum(local);
}

}  // namespace boltzflow::metrics
