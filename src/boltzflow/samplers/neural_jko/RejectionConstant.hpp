#pragma once
// The constant c of an importance rejection step (methods.md §2.3). With log-ratios
// λ_i = log ρ̃(x_i) − log p(x_i) of the current samples, the acceptance probability is
// α_i = min{1, exp(λ_i − log c)} and the mean rejection rate R(log c) = mean_i (1 − α_i) is
// continuous and nondecreasing in log c. c is chosen so that R(log c) equals a target rate.
// Every evaluation of R is one MPI-global mean (one Allreduce of the local sum and count),
// so every rank runs the identical bisection and ends with the same (log c, R).
#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Math.hpp"
#include "boltzflow/core/Types.hpp"

namespace boltzflow::neural_jko {

// α = min{1, exp(λ − log c)}.
KOKKOS_INLINE_FUNCTION double acceptance_probability(double lambda, double log_c) {
  const double a = lambda - log_c;
  return a >= 0.0 ? 1.0 : kmath::exp(a);
}

// R(log c) over all ranks' λ (a rank may hold none).
double rejection_rate(const Comm& comm, const Scalars& lambda, double log_c);

struct RejectionFit {
  double log_c = 0.0;
  double rate = 0.0;     // R(log c): the r̂ stored in the model
  int evaluations = 0;   // global evaluations of R (bracketing + bisection)
};

// Bracket expansion from log c = mean(λ) in steps of ln2·(iteration count), then bisection on
// log c until the bracket rates differ by < tol; log c is the final midpoint and rate = R(log c).
// target_rate in (0, 1). NumericalError when λ is not finite or the search does not close.
RejectionFit fit_log_c(const Comm& comm, const Scalars& lambda, double target_rate, double tol = 1e-4);

}  // namespace boltzflow::neural_jko
