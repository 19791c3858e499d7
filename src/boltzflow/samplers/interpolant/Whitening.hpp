#pragma once
// The affine whitening of a flow's data coordinates: x = μ + L y, y = L⁻¹(x − μ), with L
// lower triangular. `diagonal` (flowMC's choice): L = diag(σ) from the per-coordinate
// standard deviations. `full`: L = Cholesky factor of the data covariance, so that strongly
// correlated targets (a lattice field such as φ⁴, a Gaussian-process prior) reach the flow as
// nearly white noise and the network learns only what is not Gaussian — the role of the
// seed's "scaled Brownian bridge" base. log|det ∂x/∂y| = Σ_j log L_jj enters log q.
#include <string>
#include <vector>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Types.hpp"

namespace boltzflow::interpolant {

enum class WhiteningKind { diagonal, full };
WhiteningKind whitening_from_string(const std::string& s, const std::string& key);
std::string whitening_name(WhiteningKind k);

class Whitening {
 public:
  Whitening(int dim, WhiteningKind kind);  // starts as the identity
  int dim() const { return d_; }
  WhiteningKind kind() const { return kind_; }

  // μ and L from the rows of a distributed data set (MPI-global moments). diagonal: σ_j floored
  // at min_std; full: Cholesky of Σ + min_std² I (a ridge that keeps L invertible when the rows
  // span less than d dimensions). NumericalError if a moment is not finite or Σ is not SPD.
  void fit(const Comm& comm, const Particles& rows, double min_std);
  // mean (d) and the lower factor L (d × d row-major; its strict upper triangle must be zero).
  void set(const std::vector<double>& mean, const std::vector<double>& factor);
  void set_diagonal(const std::vector<double>& mean, const std::vector<double>& std);

  const std::vector<double>& mean() const { return mean_; }
  const std::vector<double>& factor() const { return factor_; }
  std::vector<double> std() const;  // √(L Lᵀ)_jj: the data's standard deviations
  double log_det() const;           // Σ_j log L_jj

  // y = L⁻¹(x − μ) and x = μ + L y row by row; both may work in place (y aliasing x).
  void whiten(const Particles& x, const Particles& y) const;
  void unwhiten(const Particles& y, const Particles& x) const;

 private:
  int d_;
  WhiteningKind kind_;
  bool diagonal_ = true;  // L diagonal (O(d) kernels)
  std::vector<double> mean_, factor_;
  Vector<Real> dmean_;
  Matrix<Real> dfactor_;  // device copy of L
};

}  // namespace boltzflow::interpolant
