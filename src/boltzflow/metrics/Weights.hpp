#pragma once
// Importance weights w = exp(λ), λ = −U − log q, distributed over ranks.
#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Types.hpp"

namespace boltzflow::metrics {

struct WeightSummary {
  double log_z = 0;       // log Ẑ = log mean exp λ (global log-sum-exp: MAX then SUM)
  double elbo = 0;        // mean λ (≤ log Z)
  double ess_fraction = 0;  // reverse ESS / N = (Σw)² / (N Σw²)
  std::int64_t n = 0;     // N, the number of weights the ESS refers to
};

WeightSummary weight_summary(const Comm& comm, const Scalars& log_w);

}  // namespace boltzflow::metrics
