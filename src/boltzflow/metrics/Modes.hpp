#pragma once
// Mode metrics from per-sample labels in [0, K) (−1: unassigned), global over ranks.
#include <vector>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Types.hpp"

namespace boltzflow::metrics {

std::vector<double> mode_weights(const Comm& comm, const Vector<int>& labels, int K);  // count_k / N
double mode_mse_sum(const std::vector<double>& w, const std::vector<double>& exact);   // Σ (w − π)²
double mode_mse_mean(const std::vector<double>& w, const std::vector<double>& exact);  // (1/K) Σ (w − π)²
double entropic_mode_coverage(const std::vector<double>& w);                           // −Σ w log w / log K
int modes_found(const std::vector<double>& w);                                          // #{k : w_k > 0}

}  // namespace boltzflow::metrics
