#pragma once
// Gaussian mixture Σ_k π_k N(μ_k, Σ_k) with diagonal (incl. isotropic) or full covariances.
// U = −logsumexp_k a_k(x), a_k = log π_k − ½(x−μ_k)ᵀP_k(x−μ_k) − ½log det(2πΣ_k);
// with g_k = P_k(x−μ_k) and responsibilities r_k: ∇U = Σ r_k g_k,
// ΔU = Σ r_k tr P_k − Σ r_k |g_k|² + |∇U|² (targets.md §0). Modes: argmax_k a_k.
#include <string>
#include <vector>

#include "boltzflow/targets/Target.hpp"

namespace boltzflow {

class GaussianMixture : public Target {
 public:
  // means: K*d row-major. Either diag_var (K*d variances) or full_cov (K*d*d) is non-empty.
  GaussianMixture(std::string name, int d, std::vector<double> weights, std::vector<double> means,
                  std::vector<double> diag_var, std::vector<double> full_cov);
  // Isotropic components N(μ_k, σ_k² I).
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
  std::map<std::string, Table> parameters() const override;

  // The mixture's pieces, for kernels (device Views).
  struct Data {
    int K, d;
    bool full;
    Vector<Real> log_norm;        // log π_k − ½ log det(2πΣ_k)
    Vector<Real> cum_weight;      // cumulative π for sampling
    Matrix<Real> mean;            // (K, d)
    Matrix<Real> prec;            // diag: (K, d) inverse variances; full: (K, d*d) precision
    Matrix<Real> chol;            // diag: (K, d) std devs; full: (K, d*d) lower Cholesky of Σ
    Vector<Real> trace_prec;      // tr P_k
  };

 private:
  enum class Want { energy, gradient, laplacian };
  void evaluate(const Particles& x, const Scalars& U, const Particles& g, const Scalars& lap, Want w) const;
  std::string name_;
  int d_, K_;
  std::vector<double> weights_, means_, diag_var_, full_cov_;
  Data data_;
};

}  // namespace boltzflow
