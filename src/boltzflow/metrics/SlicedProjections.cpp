#include "boltzflow/metrics/SlicedProjections.hpp"

#include <algorithm>
#include <cmath>

#include "boltzflow/core/Rng.hpp"

namespace boltzflow::metrics {

namespace {
// (n_local, C) projections of this rank's rows on the chunk's directions, on the host.
Matrix<Real, HostSpace> project(const Particles& x, const Particles& dirs) {
  const std::int64_t n = static_cast<std::int64_t>(x.extent(0));
  const int c = static_cast<int>(dirs.extent(0)), d = static_cast<int>(dirs.extent(1));
  Particles p(Kokkos::view_alloc(Kokkos::WithoutInitializing, "projections"), n, c);
  const auto xv = x, dv = dirs, pv = p;
  Kokkos::parallel_for(
      "boltzflow::metrics::project", Kokkos::RangePolicy<ExecSpace>(0, n * c), KOKKOS_LAMBDA(const std::int64_t idx) {
        const std::int64_t i = idx / c;
        const int l = static_cast<int>(idx % c);
        double s = 0;
        for (int k = 0; k < d; ++k) s += xv(i, k) * dv(l, k);
        pv(i, l) = s;
      });
  Matrix<Real, HostSpace> h("projections_host", n, c);
  Kokkos::deep_copy(h, p);
  return h;
}

std::vector<double> sorted_column(const Matrix<Real, HostSpace>& p, int l) {
  std::vector<double> v(p.extent(0));
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = p(i, l);
  std::sort(v.begin(), v.end());
  return v;
}
}  // namespace

Matrix<Real, HostSpace> random_directions(int first, int count, int d, std::uint64_t seed) {
  const Rng rng(seed, Stream::metrics);
  Matrix<Real, HostSpace> xi("directions", count, d);
  for (int l = 0; l < count; ++l) {
    double norm2 = 0;
    for (int k = 0; k < d; ++k) {
      xi(l, k) = rng.normal(static_cast<std::uint64_t>(first + l), direction_step, static_cast<std::uint32_t>(k));
      norm2 += xi(l, k) * xi(l, k);
    }
    const double inv = 1.0 / std::sqrt(norm2);  // ‖g‖ = 0 has probability 0 (normals are never exactly 0 here)
    for (int k = 0; k < d; ++k) xi(l, k) *= inv;
  }
  return xi;
}

double sum_over_directions(const Comm& comm, const Particles& x, const Particles& y, int d, int directions,
                           std::uint64_t seed, const OneDimMetric& metric, std::int64_t gathered_doubles) {
  const std::int64_t pooled = comm.sum(static_cast<std::int64_t>(x.extent(0) + y.extent(0)));
  const int chunk = static_cast<int>(
      std::clamp<std::int64_t>(gathered_doubles / std::max<std::int64_t>(pooled, d), 1, directions));
  // Ranks without rows may hold Views of another width: give them (0, d) ones.
  const Particles xl = x.extent(0) > 0 ? x : Particles("empty_x", 0, d);
  const Particles yl = y.extent(0) > 0 ? y : Particles("empty_y", 0, d);
  double local = 0;
  for (int l0 = 0; l0 < directions; l0 += chunk) {
    const int c = std::min(chunk, directions - l0);
    const auto dirs = Kokkos::create_mirror_view_and_copy(MemSpace(), random_directions(l0, c, d, seed));
    const auto px = comm.allgather_rows(project(xl, dirs));
    const auto py = comm.allgather_rows(project(yl, dirs));
    for (int l = l0; l < l0 + c; ++l)
      if (l % comm.size() == comm.rank()) local += metric(sorted_column(px, l - l0), sorted_column(py, l - l0));
  }
  return comm.sum(local);
}

}  // namespace boltzflow::metrics
