#pragma once
// Gaussian mixture Σ_k π_k N(μ_k, Σ_k) with diagonal (incl. isotropic) or full covariances.
// U = −logsumexp_k a_k(x), a_k = log π_k − ½(x−μ_k)ᵀP_k(x−μ_k) − ½log det(2πΣ_k);
// with g_k = P_k(x−μ_k) and responsibilities r_k: ∇U = Σ r_k g_k,
// ΔU = Σ r_k tr P_k − Σ r_k |g_k|² + |∇U|² (targets.md §0). Modes: argmax_k a_k (metrics.md §5).
#include <string>
#include <vector>

#include "boltzflow/targets/Target.hpp"

namespace boltzflow {

class GaussianMixture : public Target {
 public:
  // means: K*d row-major. Exactly one of diag_var (K*d variances) and full_cov (K*d*d
  // row-major covariances) is non-empty. Bad values throw InputError naming the deck key.
  GaussianMixture(std::string name, int d, std::vector<double> weights, std::vector<double> means,
                  std::vector<double> diag_var, std::vector<double> full_cov);
  // Components N(μ_k, σ_k² I): sigmas holds 1 (shared), K (per component) or K*d (per
  // component and coordinate: diagonal) standard deviations.
  static GaussianMixture isotropic(std::string name, int d, std::vector<double> weights, std::vector<double> means,
                                   std::vector<double> sigmas);

  std::string name() const override { return name_; }
  int dim() const override { return d_; }
  void energy(const Particles& x, const Scalars& U) const override;
  void gradient(const Particles& x, const Scalars& U, const Particles& gradU) const override;
  void laplacian(const Particles& x, const Scalars& lapU) const override;
  bool has_log_z() const override { return true; }
  double log_z() const override { return 0.0; }
  bool has_sampler() const override { return true; }
  void sample(std::uint64_t seed, std::uint64_t first_id, const Particles& x) const override;
  int num_modes() const override { return K_; }
  std::vector<double> mode_weights() const override { return weights_; }
  void assign_modes(const Particles& x, const Vector<int>& label) const override;
  // "weights" (K, 1), "means" (K, d) and "sigmas" (K, d) or "covariances" (K, d*d):
  // the same names and shapes the HDF5 mixture file reader accepts.
  std::map<std::string, Table> parameters() const override;

  int num_components() const { return K_; }
  bool full_covariance() const { return !full_cov_.empty(); }
  const std::vector<double>& means() const { return means_; }

  // Device copies of the mixture, as the kernels read them.
  struct Data {
    int K = 0, d = 0;
    bool full = false;
    Vector<Real> log_norm;    // log π_k − ½ log det(2πΣ_k)
    Vector<Real> cum_weight;  // cumulative π (sampling)
    Matrix<Real> mean;        // (K, d)
    Matrix<Real> prec;        // diagonal: (K, d) inverse variances; full: (K, d*d) precision P_k
    Matrix<Real> chol;        // diagonal: (K, d) standard deviations; full: (K, d*d) lower Cholesky of Σ_k
    Vector<Real> trace_prec;  // tr P_k
  };

  // One kernel for all three: U (if U is allocated), the gradient into g (always an (n, d)
  // View: the caller's output or scratch), ΔU (if lap is allocated). Public only because
  // Kokkos lambdas may not live in private member functions.
  void evaluate(const Particles& x, const Scalars& U, const Particles& g, const Scalars& lap) const;

 private:
  std::string name_;
  int d_, K_;
  std::vector<double> weights_, means_, diag_var_, full_cov_;
  Data data_;
};

}  // namespace boltzflow
