#pragma once
// Mode metrics (metrics.md §5) from per-particle mode labels (assignment is the target's job:
// nearest mean, sign pattern, ...). Labels in [0, K), −1 = unassigned. Distributed: each rank
// passes its labels (possibly none); all ranks get the same global result.
#include <cstdint>
#include <vector>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Types.hpp"

namespace boltzflow::metrics {

struct ModeStats {
  std::int64_t n = 0;           // all samples, unassigned included (the N of the weights)
  std::int64_t unassigned = 0;  // label −1
  std::vector<std::int64_t> counts;  // per mode
  std::vector<double> weights;       // w_k = count_k / n
  int found = 0;                     // modes with count > 0
  double mode_mse_sum = 0;           // Σ_k (w_k − π_k)²          (nJKO-IC code)
  double mode_mse_mean = 0;          // (1/K) Σ_k (w_k − π_k)²    (presumed AF "Mode-Weight MSE")
  double emc = 0;  // −Σ_k w_k log w_k / log K ∈ [0, 1] (0 log 0 = 0); for K = 1: 1 if the mode is found, else 0
};

// exact_weights: π_k, size K. Throws InputError for K < 1, a wrong size, or no samples at all;
// a label outside [−1, K) on any rank is an internal error (agreed, then thrown on every rank).
ModeStats mode_statistics(const Comm& comm, const Vector<int>& labels, int K, const std::vector<double>& exact_weights);

}  // namespace boltzflow::metrics
