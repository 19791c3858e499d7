#pragma once
// Log-Gaussian Cox process on the Finnish pines (targets.md §10) in annealed_flow_transport's
// discretisation: latent f ∈ R^{M²} on an M × M grid over [0, 1]², cell area a = 1/M², counts
// n_i of the points per cell (row = ⌊uM⌋, column = ⌊vM⌋, index row·M + column; a point on the
// upper or right edge goes into the last cell), prior f ~ N(μ0·1, K) with
// K_ij = σ² exp(−‖c_i − c_j‖/(Mβ)) over the integer cell coordinates c_i, μ0 = log(#points) − σ²/2:
//   U(f) = ½(f − μ0)ᵀK⁻¹(f − μ0) + ½ log det(2πK) − Σ_i [n_i f_i − a e^{f_i}],
// i.e. −log prior − log likelihood without the Σ log n_i! constant, as annealed_flow_transport
// writes its unwhitened density, so log Z compares with published values.
// K⁻¹ is formed once on the host (Cholesky); U and ∇U take one GEMM per call.
#include <array>
#include <string>
#include <vector>

#include "boltzflow/targets/Target.hpp"

namespace boltzflow {

class Lgcp : public Target {
 public:
  // points in [0, 1]² (InputError naming `key` otherwise); M cells per side.
  Lgcp(const std::vector<std::array<double, 2>>& points, int M, const std::string& key, double sigma2 = 1.91,
       double beta = 1.0 / 33);
  std::string name() const override { return "lgcp"; }
  int dim() const override { return M_ * M_; }
  void energy(const Particles& x, const Scalars& U) const override;
  void gradient(const Particles& x, const Scalars& U, const Particles& g) const override;
  void laplacian(const Particles& x, const Scalars& lap) const override;
  // "counts" (M, M) and "prior" (1, 4): μ0, σ², β, a.
  std::map<std::string, Table> parameters() const override;

  const std::vector<double>& counts() const { return counts_; }  // per cell, index row·M + column
  double mu0() const { return mu0_; }
  double cell_area() const { return a_; }
  double log_det_2pi_k() const { return log_det_2pi_k_; }
  double covariance(int i, int j) const;  // K_ij from the kernel
  const std::vector<double>& precision() const { return kinv_host_; }  // K⁻¹, row-major

 private:
  int M_;
  double sigma2_, beta_, a_, mu0_, log_det_2pi_k_ = 0, trace_kinv_ = 0;
  std::vector<double> counts_, kinv_host_;
  Vector<Real> counts_dev_;
  Matrix<Real> kinv_;  // K⁻¹ (d, d), symmetric
  mutable Vector<Real> work_;  // R and S of lgcp_energy, grown to the largest batch seen
};

// The points of a CSV table with two columns (u, v) in [0, 1]² (data/finpines.csv).
std::vector<std::array<double, 2>> read_points(const std::string& path, const std::string& key);

}  // namespace boltzflow
