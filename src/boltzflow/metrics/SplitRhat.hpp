#pragma once
// Split-R̂ (Gelman et al., BDA3 §11.4) of a scalar observable along MCMC chains given as a host
// array (n_steps × n_local_chains), chains distributed over ranks. Each chain is cut into two
// halves of h = ⌊n/2⌋ draws (the middle draw is dropped when n is odd), giving 2m half-chains;
//   W = mean within-half variance (1/(h−1)),  B = h · variance of the half means (1/(2m−1)),
//   var⁺ = (h−1)/h · W + B/h,  R̂ = √(var⁺ / W).
// R̂ ≈ 1 for mixed chains; 1 for a constant observable, +∞ when only the between part is non-zero.
#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Types.hpp"

namespace boltzflow::metrics {

double split_rhat(const Comm& comm, const Matrix<Real, HostSpace>& chains);

}  // namespace boltzflow::metrics
