#include "boltzflow/samplers/annealing_flow/Resampling.hpp"

#include <cmath>
#include <limits>
#include <vector>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Rng.hpp"

namespace boltzflow::annealing_flow {

Resampled systematic_resample(const Comm& comm, const Particles& x, const Scalars& log_w, std::uint64_t first_id,
                              std::uint64_t seed) {
  auto hx = Kokkos::create_mirror_view_and_copy(HostSpace(), x);
  auto lw = Kokkos::create_mirror_view_and_copy(HostSpace(), log_w);
  const std::int64_t n = hx.extent(0), d = hx.extent(1);
  double m = -std::numeric_limits<double>::infinity();
  for (std::int64_t i = 0; i < n; ++i) m = std::max(m, lw(i));
  m = comm.max(m);
  if (!std::isfinite(m)) throw NumericalError("importance resampling: no sample has a finite positive weight");
  std::vector<double> cum(n + 1, 0.0);  // local cumulative weights exp(λ − max)
  for (std::int64_t i = 0; i < n; ++i) cum[i + 1] = cum[i] + std::exp(lw(i) - m);
  // Global prefix of the per-rank totals, in rank order.
  HostParticles mine("boltzflow::annealing_flow::rank_weight", 1, 1);
  mine(0, 0) = cum[n];
  const auto all = comm.allgather_rows(mine);
  double before = 0, total = 0;
  for (int r = 0; r < comm.size(); ++r) {
    if (r < comm.rank()) before += all(r, 0);
    total += all(r, 0);
  }
  const double N = double(comm.sum(n));
  const double u = Rng(seed, Stream::af_resample).uniform(0, 0, 0);
  // Sample j sits at (u + j)·total/N; row i owns the positions in [c_i, c_{i+1}).
  auto first_at = [&](double c) { return static_cast<std::int64_t>(std::ceil(c * N / total - u)); };
  std::vector<std::int64_t> count(n);
  std::int64_t kept = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    count[i] = std::max<std::int64_t>(0, first_at(before + cum[i + 1]) - first_at(before + cum[i]));
    kept += count[i];
  }
  Resampled out{HostParticles("boltzflow::annealing_flow::resampled_x", kept, d),
                Vector<std::int64_t, HostSpace>("boltzflow::annealing_flow::resampled_source", kept)};
  std::int64_t r = 0;
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t c = 0; c < count[i]; ++c, ++r) {
      for (std::int64_t j = 0; j < d; ++j) out.x(r, j) = hx(i, j);
      out.source(r) = static_cast<std::int64_t>(first_id) + i;
    }
  return out;
}

}  // namespace boltzflow::annealing_flow
