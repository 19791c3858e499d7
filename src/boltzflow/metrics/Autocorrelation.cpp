#include "boltzflow/metrics/Autocorrelation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/metrics/SampleChecks.hpp"

namespace boltzflow::metrics {

namespace {

// Global autocovariances C(0..K), extended on demand.
class Autocovariance {
 public:
  Autocovariance(const Comm& comm, const Matrix<Real, HostSpace>& chains)
      : comm_(comm), shape_(chain_shape(comm, chains, 2, "autocorrelation")), y_("centred", chains.extent(0), chains.extent(1)) {
    double local = 0;
    for (std::size_t t = 0; t < chains.extent(0); ++t)
      for (std::size_t c = 0; c < chains.extent(1); ++c) local += chains(t, c);
    const double mu = comm.sum(local) / (static_cast<double>(shape_.steps) * static_cast<double>(shape_.chains));
    for (std::size_t t = 0; t < chains.extent(0); ++t)
      for (std::size_t c = 0; c < chains.extent(1); ++c) y_(t, c) = chains(t, c) - mu;
  }
  const ChainShape& shape() const { return shape_; }
  const std::vector<double>& values() const { return gamma_; }

  // Make C(k) available for every k ≤ upto (< n_steps).
  void extend(std::int64_t upto) {
    const std::int64_t k0 = static_cast<std::int64_t>(gamma_.size());
    if (upto < k0) return;
    std::vector<double> add(upto - k0 + 1, 0.0);
    const std::int64_t n = static_cast<std::int64_t>(y_.extent(0)), m = static_cast<std::int64_t>(y_.extent(1));
    for (std::int64_t k = k0; k <= upto; ++k) {
      double s = 0;
      for (std::int64_t t = 0; t + k < n; ++t)
        for (std::int64_t c = 0; c < m; ++c) s += y_(t, c) * y_(t + k, c);
      add[k - k0] = s;
    }
    MPI_Allreduce(MPI_IN_PLACE, add.data(), static_cast<int>(add.size()), MPI_DOUBLE, MPI_SUM, comm_.raw());
    const double norm = static_cast<double>(shape_.steps) * static_cast<double>(shape_.chains);
    for (const double a : add) gamma_.push_back(a / norm);
  }

 private:
  const Comm& comm_;
  ChainShape shape_;
  Matrix<Real, HostSpace> y_;
  std::vector<double> gamma_;
};

struct Truncation {
  bool stopped = false;
  double tau = 1;
  std::int64_t window = 0;
};

// Geyer's initial monotone positive sequence on ρ(0..K).
Truncation geyer(const std::vector<double>& g) {
  const std::int64_t K = static_cast<std::int64_t>(g.size()) - 1;
  double sum = 0, prev = std::numeric_limits<double>::max();
  std::int64_t m = 0;
  for (; 2 * m + 1 <= K; ++m) {
    const double pair = (g[2 * m] + g[2 * m + 1]) / g[0];
    if (pair <= 0) return {true, -1 + 2 * sum, 2 * m};
    prev = std::min(prev, pair);
    sum += prev;
  }
  return {false, -1 + 2 * sum, 2 * m};
}

// Sokal's automatic window on ρ(0..K).
Truncation sokal(const std::vector<double>& g, double c) {
  const std::int64_t K = static_cast<std::int64_t>(g.size()) - 1;
  double tau = 1;
  for (std::int64_t w = 1; w <= K; ++w) {
    tau += 2 * g[w] / g[0];
    if (static_cast<double>(w) >= c * tau) return {true, tau, w};
  }
  return {false, tau, K};
}

}  // namespace

std::vector<double> autocorrelation(const Comm& comm, const Matrix<Real, HostSpace>& chains, std::int64_t max_lag) {
  Autocovariance acov(comm, chains);
  if (max_lag < 0 || max_lag >= acov.shape().steps)
    throw InputError("metrics: autocorrelation lag must lie in [0, n_steps)");
  acov.extend(max_lag);
  std::vector<double> rho = acov.values();
  if (!(rho[0] > 0)) throw InputError("metrics: autocorrelation of a constant observable");
  const double c0 = rho[0];
  for (auto& r : rho) r /= c0;
  return rho;
}

IatResult integrated_autocorrelation(const Comm& comm, const Matrix<Real, HostSpace>& chains, IatWindow window,
                                     double sokal_c, std::int64_t max_lag) {
  if (!(sokal_c > 0)) throw InputError("metrics: Sokal window constant must be positive");
  Autocovariance acov(comm, chains);
  const auto shape = acov.shape();
  if (max_lag < 0 || max_lag > shape.steps - 1) max_lag = shape.steps - 1;
  IatResult r;
  r.chains = shape.chains;
  r.draws = shape.steps * shape.chains;
  acov.extend(0);
  if (!(acov.values()[0] > 0)) {  // constant observable: no information on mixing
    r.tau = static_cast<double>(shape.steps);
    r.ess = static_cast<double>(r.draws) / r.tau;
    return r;
  }
  Truncation t;
  for (std::int64_t upto = std::min<std::int64_t>(64, max_lag);; upto = std::min(2 * upto, max_lag)) {
    acov.extend(upto);
    t = window == IatWindow::geyer ? geyer(acov.values()) : sokal(acov.values(), sokal_c);
    if (t.stopped || upto == max_lag) break;
  }
  r.tau = t.tau;
  if (window == IatWindow::geyer) r.tau = std::max(r.tau, 1.0 / std::log10(static_cast<double>(r.draws)));
  r.window = t.window;
  r.converged = t.stopped;
  r.ess = static_cast<double>(r.draws) / r.tau;
  return r;
}

double integrated_autocorrelation_time(const Comm& comm, const Matrix<Real, HostSpace>& chains, IatWindow window,
                                       double sokal_c) {
  return integrated_autocorrelation(comm, chains, window, sokal_c).tau;
}

}  // namespace boltzflow::metrics
