#include "boltzflow/metrics/SampleChecks.hpp"

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Math.hpp"

namespace boltzflow::metrics {

std::int64_t global_rows(const Comm& comm, const Particles& x) {
  return comm.sum(static_cast<std::int64_t>(x.extent(0)));
}

namespace {
// Dimension of the ranks that hold rows; -1 from a rank without rows.
int voted_dim(const Comm& comm, const Particles& x, const std::string& what) {
  const double mine = x.extent(0) > 0 ? static_cast<double>(x.extent(1)) : -1.0;
  const double hi = comm.max(mine);
  const double lo = comm.min(mine >= 0 ? mine : hi);  // min over the ranks that hold rows
  if (hi != lo) throw InputError("metrics: " + what + ": ranks hold samples of different dimensions");
  return static_cast<int>(hi);
}
}  // namespace

int common_dim(const Comm& comm, const Particles& x, const Particles& y, const std::string& what) {
  const int dx = voted_dim(comm, x, what), dy = voted_dim(comm, y, what);
  if (dx < 1 || dy < 1) throw InputError("metrics: " + what + ": a sample set is empty on every rank");
  if (dx != dy)
    throw InputError("metrics: " + what + ": sample dimensions differ (" + std::to_string(dx) + " vs " +
                     std::to_string(dy) + ")");
  return dx;
}

int common_dim(const Comm& comm, const Particles& x, const std::string& what) {
  const int d = voted_dim(comm, x, what);
  if (d < 1) throw InputError("metrics: " + what + ": the sample set is empty on every rank");
  return d;
}

ChainShape chain_shape(const Comm& comm, const Matrix<Real, HostSpace>& chains, std::int64_t min_steps,
                       const std::string& what) {
  ChainShape s;
  s.chains = comm.sum(static_cast<std::int64_t>(chains.extent(1)));
  const double mine = chains.extent(1) > 0 ? static_cast<double>(chains.extent(0)) : -1.0;
  const double hi = comm.max(mine), lo = comm.min(mine >= 0 ? mine : hi);
  if (s.chains == 0) throw InputError("metrics: " + what + ": no chains on any rank");
  if (hi != lo) throw InputError("metrics: " + what + ": ranks hold chains of different lengths");
  s.steps = static_cast<std::int64_t>(hi);
  if (s.steps < min_steps)
    throw InputError("metrics: " + what + " needs chains of at least " + std::to_string(min_steps) + " steps");
  return s;
}

void require_finite(const Comm& comm, const Particles& x, const std::string& what) {
  const auto v = x;
  const int d = static_cast<int>(x.extent(1));
  std::int64_t bad = 0;
  Kokkos::parallel_reduce(
      "boltzflow::metrics::count_nonfinite", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)),
      KOKKOS_LAMBDA(const std::int64_t i, std::int64_t& c) {
        for (int k = 0; k < d; ++k)
          if (!kmath::isfinite(v(i, k))) ++c;
      },
      bad);
  bad = comm.sum(bad);
  if (bad > 0)
    throw NumericalError(what + ": " + std::to_string(bad) + " non-finite sample coordinate(s)");
}

void require_finite(const Comm& comm, const Scalars& v, const std::string& what) {
  std::int64_t bad = 0;
  Kokkos::parallel_reduce(
      "boltzflow::metrics::count_nonfinite_values", Kokkos::RangePolicy<ExecSpace>(0, v.extent(0)),
      KOKKOS_LAMBDA(const std::int64_t i, std::int64_t& c) { c += kmath::isfinite(v(i)) ? 0 : 1; }, bad);
  bad = comm.sum(bad);
  if (bad > 0) throw NumericalError(what + ": " + std::to_string(bad) + " non-finite value(s)");
}

void require_energies(const Comm& comm, const Scalars& U, const std::string& what) {
  std::int64_t bad = 0;
  Kokkos::parallel_reduce(
      "boltzflow::metrics::count_bad_energies", Kokkos::RangePolicy<ExecSpace>(0, U.extent(0)),
      KOKKOS_LAMBDA(const std::int64_t i, std::int64_t& c) {
        // isnan first: an ordered comparison with NaN raises FE_INVALID (trapped in the tests).
        c += kmath::isnan(U(i)) || (kmath::isinf(U(i)) && U(i) < 0) ? 1 : 0;
      },
      bad);
  bad = comm.sum(bad);
  if (bad > 0) throw NumericalError(what + ": " + std::to_string(bad) + " NaN or -inf value(s)");
}

}  // namespace boltzflow::metrics
