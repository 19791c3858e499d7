#pragma once
// Importance-weight metrics (metrics.md §1–2) from per-particle log-weights. Distributed: each
// rank passes its values (possibly none); all ranks get the same global result. Global
// log-sum-exp = Allreduce(max), then Allreduce(Σ exp(λ − max)).
#include <cstdint>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Types.hpp"

namespace boltzflow::metrics {

// Reverse weights λ_i = −U(x_i) − log q(x_i) on N model samples. λ = −∞ (zero weight) is allowed;
// NaN or +∞ throw NumericalError.
struct WeightSummary {
  std::int64_t n = 0;           // N: always report it next to the ESS
  double log_z = 0;             // log-mean-exp: logsumexp(λ) − log N (IS estimate of log Z)
  double elbo = 0;              // mean λ (≤ log Z in expectation)
  double ess_fraction = 0;      // (Σw)²/(N Σw²) ∈ (0, 1]
  double log_ess_fraction = 0;  // 2 logsumexp(λ) − logsumexp(2λ) − log N
  double max_log_weight = 0;
};
WeightSummary weight_summary(const Comm& comm, const Scalars& log_w);

// Forward weights λ^f_j = −U(y_j) − log q(y_j) on M exact target samples (all finite).
struct ForwardWeightSummary {
  std::int64_t m = 0;
  double eubo = 0;              // mean λ^f (≥ log Z in expectation)
  double log_z = 0;             // forward IS: −(logsumexp(−λ^f) − log M)
  double log_mean_weight = 0;   // logsumexp(λ^f) − log M; with the true Z, ESS_f = exp(log Z − this)
  double ess_fraction = 0;      // 1 / (mean w^f · mean 1/w^f)
  double log_ess_fraction = 0;  // log_z − log_mean_weight
};
ForwardWeightSummary forward_weight_summary(const Comm& comm, const Scalars& log_w_forward);

}  // namespace boltzflow::metrics
