#pragma once
// Integrated autocorrelation time τ = 1 + 2 Σ_{k≥1} ρ(k) of a scalar observable recorded along
// chains (host array n_steps × local chains; chains distributed over ranks). The autocovariance
// is averaged over all chains first (global mean), then truncated by Geyer's initial monotone
// positive sequence (default) or Sokal's automatic window (smallest W ≥ c·τ(W)). Direct
// O(n · max_lag) sums: the recorded traces are short (n ≲ 10⁴).
#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Types.hpp"

namespace boltzflow::metrics {

enum class IatWindow { geyer, sokal };

double integrated_autocorrelation_time(const Comm& comm, const Matrix<Real, HostSpace>& trace,
                                       IatWindow window = IatWindow::geyer, double sokal_c = 5.0);

}  // namespace boltzflow::metrics
