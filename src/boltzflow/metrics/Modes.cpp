#include "boltzflow/metrics/Modes.hpp"

#include <cmath>
#include <string>

#include "boltzflow/core/Error.hpp"

namespace boltzflow::metrics {

ModeStats mode_statistics(const Comm& comm, const Vector<int>& labels, int K, const std::vector<double>& exact_weights) {
  if (K < 1) throw InputError("metrics: mode statistics need at least one mode");
  if (static_cast<int>(exact_weights.size()) != K)
    throw InputError("metrics: " + std::to_string(exact_weights.size()) + " exact mode weights given for " +
                     std::to_string(K) + " modes");
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

  ModeStats s;
  s.unassigned = counts[K];
  counts.pop_back();
  s.counts = counts;
  for (const auto c : counts) s.n += c;
  s.n += s.unassigned;
  if (s.n == 0) throw InputError("metrics: mode statistics of an empty sample");
  double entropy = 0;
  for (int k = 0; k < K; ++k) {
    const double w = static_cast<double>(counts[k]) / static_cast<double>(s.n);
    s.weights.push_back(w);
    if (counts[k] > 0) {
      ++s.found;
      entropy -= w * std::log(w);
    }
    s.mode_mse_sum += (w - exact_weights[k]) * (w - exact_weights[k]);
  }
  s.mode_mse_mean = s.mode_mse_sum / K;
  s.emc = K > 1 ? entropy / std::log(static_cast<double>(K)) : (s.found > 0 ? 1.0 : 0.0);
  return s;
}

}  // namespace boltzflow::metrics
