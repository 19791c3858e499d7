#pragma once
// Mode metrics (metrics.md §5) from per-particle mode labels (the assignment is the target's job:
// nearest mean, sign pattern, ...). Labels in [0, K), −1 = unassigned. Counting is distributed:
// each rank passes its labels (possibly none) and all ranks get the same global result; the
// scores are then plain functions of the weights.
#include <cstdint>
#include <vector>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Types.hpp"

namespace boltzflow::metrics {

struct ModeCounts {
  std::vector<std::int64_t> counts;  // per mode k < K
  std::int64_t unassigned = 0;       // label −1
  std::int64_t n = 0;                // all samples, unassigned included (the N of the weights)
};

// Global counts. InputError for K < 1; a label outside [−1, K) on any rank is an internal error
// (agreed over ranks, then thrown on every rank).
ModeCounts mode_counts(const Comm& comm, const Vector<int>& labels, int K);

// w_k = count_k / N (unassigned samples count in N); InputError when there are no samples.
std::vector<double> mode_weights(const Comm& comm, const Vector<int>& labels, int K);

// Σ_k (w_k − π_k)² (nJKO-IC code). InputError when the sizes differ.
double mode_mse_sum(const std::vector<double>& w, const std::vector<double>& exact);
// (1/K) Σ_k (w_k − π_k)² (presumed AF "Mode-Weight MSE").
double mode_mse_mean(const std::vector<double>& w, const std::vector<double>& exact);
// EMC = −Σ_k w_k log w_k / log K ∈ [0, 1] (0 log 0 = 0); K = 1: 1 if the mode is found, else 0.
double entropic_mode_coverage(const std::vector<double>& w);
// #{k : w_k > 0}.
int modes_found(const std::vector<double>& w);

}  // namespace boltzflow::metrics
