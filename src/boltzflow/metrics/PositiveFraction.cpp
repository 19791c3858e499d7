#include "boltzflow/metrics/PositiveFraction.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Math.hpp"
#include "boltzflow/metrics/Weights.hpp"

namespace boltzflow::metrics {

namespace {
using Team = Kokkos::TeamPolicy<ExecSpace>::member_type;

// Global Σ_i w_i [x(i, first + k·stride) > 0] per column k (w = 1 when w is empty), divided by total.
PositiveFractions fractions(const Comm& comm, const Particles& x, const Scalars& w, int first, int stride,
                            int columns, double total) {
  if (columns < 1 || first < 0 || stride < 1) throw InputError("metrics: positive fractions need at least one column");
  const int n = static_cast<int>(x.extent(0));
  if (n > 0 && first + stride * (columns - 1) >= static_cast<int>(x.extent(1)))
    throw InputError("metrics: positive-fraction column beyond the sample dimension " + std::to_string(x.extent(1)));
  Vector<double> hits("positive_hits", columns);
  const bool weighted = w.extent(0) > 0;
  if (n > 0)
    // One team per column: the columns are few (d/2), the rows many.
    Kokkos::parallel_for(
        "boltzflow::metrics::positive_fraction", Kokkos::TeamPolicy<ExecSpace>(columns, Kokkos::AUTO),
        KOKKOS_LAMBDA(const Team& t) {
          const int c = first + stride * t.league_rank();
          double s = 0;
          Kokkos::parallel_reduce(
              Kokkos::TeamThreadRange(t, n),
              [&](const int i, double& acc) { acc += x(i, c) > 0 ? (weighted ? w(i) : 1.0) : 0.0; }, s);
          Kokkos::single(Kokkos::PerTeam(t), [&]() { hits(t.league_rank()) = s; });
        });
  comm.allreduce_sum(hits);
  const auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), hits);
  PositiveFractions r;
  for (int k = 0; k < columns; ++k) r.per_column.push_back(h(k) / total);
  r.min = *std::min_element(r.per_column.begin(), r.per_column.end());
  r.max = *std::max_element(r.per_column.begin(), r.per_column.end());
  for (const double f : r.per_column) r.mean += f / columns;
  return r;
}
}  // namespace

PositiveFractions positive_fractions(const Comm& comm, const Particles& x, int first, int stride, int columns) {
  const auto n = comm.sum(static_cast<std::int64_t>(x.extent(0)));
  if (n == 0) throw InputError("metrics: positive fractions of an empty sample");
  return fractions(comm, x, Scalars(), first, stride, columns, static_cast<double>(n));
}

PositiveFractions weighted_positive_fractions(const Comm& comm, const Particles& x, const Scalars& log_w, int first,
                                              int stride, int columns) {
  if (log_w.extent(0) != x.extent(0)) throw InputError("metrics: one log-weight per sample needed");
  const auto summary = weight_summary(comm, log_w);  // validates λ (NaN, +∞) and gives the global max
  const double mx = summary.max_log_weight;
  if (mx == -std::numeric_limits<double>::infinity())
    throw NumericalError("metrics: weighted positive fractions: every importance weight is zero");
  // w_i = e^{λ_i − max} ∈ [0, 1]: the max cancels in the ratio.
  Scalars w("positive_weights", log_w.extent(0));
  const auto lw = log_w;
  double local_total = 0;
  Kokkos::parallel_reduce(
      "boltzflow::metrics::positive_fraction_weights", Kokkos::RangePolicy<ExecSpace>(0, w.extent(0)),
      KOKKOS_LAMBDA(const int i, double& s) {
        w(i) = kmath::exp(lw(i) - mx);
        s += w(i);
      },
      local_total);
  const double total = comm.sum(local_total);
  // An empty w means "unweighted" to the kernel, but a rank without rows runs no kernel.
  return fractions(comm, x, w, first, stride, columns, total);
}

}  // namespace boltzflow::metrics
