#pragma once
// Integrated autocorrelation time of a scalar observable along MCMC chains (metrics.md §6).
//
// Input: a host array (n_steps × n_local_chains), column c = one chain; chains are distributed
// over ranks (a rank may hold none), all of the same length. The autocovariance is averaged over
// ALL chains before normalising:
//   C(k) = (1/(m n)) Σ_c Σ_{t<n−k} (f_{c,t} − μ)(f_{c,t+k} − μ),   ρ(k) = C(k)/C(0),
// with μ the global mean over all chains (not per-chain means: chains stuck in different modes
// then show up as slow decorrelation instead of being hidden), 1/n normalisation (positive
// definite). Lags are summed directly, O(n · lags) per chain, in doubling blocks until the
// truncation rule stops; the windows stay at a few τ, so no FFT is needed at the chain lengths
// boltzflow records (≤ 10⁵ steps).
#include <cstdint>
#include <vector>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Types.hpp"

namespace boltzflow::metrics {

enum class IatWindow {
  geyer,  // initial positive sequence: Γ_m = ρ(2m) + ρ(2m+1) summed while > 0, made monotone (default)
  sokal,  // automatic window: smallest W with W ≥ c·τ(W), τ(W) = 1 + 2Σ_{k=1..W} ρ(k)
};

struct IatResult {
  double tau = 1;             // τ_int = 1 + 2Σρ(k); Geyer's value is floored at 1/log10(draws) (as Stan)
  double ess = 0;             // draws / τ_int
  std::int64_t draws = 0;     // n_steps × all chains
  std::int64_t chains = 0;
  std::int64_t window = 0;    // lags summed
  bool converged = false;     // the truncation rule stopped before max_lag (false also for a constant f)
};

// max_lag < 0: n_steps − 1. A constant observable (C(0) = 0) gives the worst case τ = n_steps.
// Chains need ≥ 2 steps (InputError otherwise).
IatResult integrated_autocorrelation(const Comm& comm, const Matrix<Real, HostSpace>& chains,
                                     IatWindow window = IatWindow::geyer, double sokal_c = 5.0,
                                     std::int64_t max_lag = -1);
// Just τ_int of the above.
double integrated_autocorrelation_time(const Comm& comm, const Matrix<Real, HostSpace>& chains,
                                       IatWindow window = IatWindow::geyer, double sokal_c = 5.0);

// ρ(0..max_lag) as defined above (global, the same on every rank).
std::vector<double> autocorrelation(const Comm& comm, const Matrix<Real, HostSpace>& chains, std::int64_t max_lag);

}  // namespace boltzflow::metrics
