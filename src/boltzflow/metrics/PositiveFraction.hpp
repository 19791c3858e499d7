#pragma once
// Sign balance of chosen coordinates (ManyWell: the double-well coordinate x_{2i} of each pair,
// whose exact P(x > 0) is the positive-well mass 0.8443). Distributed: every rank passes its rows
// (possibly none) and gets the same global result.
#include <cstdint>
#include <vector>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Types.hpp"

namespace boltzflow::metrics {

struct PositiveFractions {
  std::vector<double> per_column;  // fraction with x(i, first + k·stride) > 0, k = 0..columns−1
  double mean = 0, min = 0, max = 0;
};

// Plain fractions over the N samples of all ranks.
PositiveFractions positive_fractions(const Comm& comm, const Particles& x, int first, int stride, int columns);

// Self-normalized importance-weighted fractions Σ w_i [x_i > 0] / Σ w_i, w_i = exp(λ_i): λ = log-weights
// (−U − log q for model samples). λ = −∞ (zero weight) is allowed; NaN or +∞ throw NumericalError.
PositiveFractions weighted_positive_fractions(const Comm& comm, const Particles& x, const Scalars& log_w, int first,
                                              int stride, int columns);

}  // namespace boltzflow::metrics
