#include "boltzflow/metrics/Modes.hpp"

#include <cmath>
#include <string>

#include "boltzflow/core/Error.hpp"

namespace boltzflow::metrics {

ModeCounts mode_counts(const Comm& comm, const Vector<int>& labels, int K) {
  if (K < 1) throw InputError("metrics: mode statistics need at least one mode");
  // Integer histogram on the host: exact, and the labels are one int per sample.
  const auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), labels);
  std::vector<std::int64_t> counts(K + 1, 0);  // last slot: unassigned
  bool bad = false;
  for (std::size_t i = 0; i < h.extent(0); ++i) {
    const int l = h(i);
    if (l < -1 || l >= K)
      bad = true;
    else
      ++counts[l < 0 ? K : l];
  }
  BOLTZFLOW_ASSERT(!comm.any(bad), "mode label outside [-1, K)");
  MPI_Allreduce(MPI_IN_PLACE, counts.data(), K + 1, MPI_INT64_T, MPI_SUM, comm.raw());
  ModeCounts c;
  c.unassigned = counts[K];
  counts.pop_back();
  c.counts = counts;
  c.n = c.unassigned;
  for (const auto k : counts) c.n += k;
  return c;
}

std::vector<double> mode_weights(const Comm& comm, const Vector<int>& labels, int K) {
  const auto c = mode_counts(comm, labels, K);
  if (c.n == 0) throw InputError("metrics: mode weights of an empty sample");
  std::vector<double> w;
  for (const auto k : c.counts) w.push_back(static_cast<double>(k) / static_cast<double>(c.n));
  return w;
}

double mode_mse_sum(const std::vector<double>& w, const std::vector<double>& exact) {
  if (w.size() != exact.size())
    throw InputError("metrics: " + std::to_string(exact.size()) + " exact mode weights given for " +
                     std::to_string(w.size()) + " modes");
  double s = 0;
  for (std::size_t k = 0; k < w.size(); ++k) s += (w[k] - exact[k]) * (w[k] - exact[k]);
  return s;
}

double mode_mse_mean(const std::vector<double>& w, const std::vector<double>& exact) {
  const double s = mode_mse_sum(w, exact);
  return w.empty() ? 0.0 : s / static_cast<double>(w.size());
}

double entropic_mode_coverage(const std::vector<double>& w) {
  if (w.size() < 2) return modes_found(w) > 0 ? 1.0 : 0.0;
  double entropy = 0;
  for (const double p : w)
    if (p > 0) entropy -= p * std::log(p);
  return entropy / std::log(static_cast<double>(w.size()));
}

int modes_found(const std::vector<double>& w) {
  int found = 0;
  for (const double p : w) found += p > 0;
  return found;
}

}  // namespace boltzflow::metrics
