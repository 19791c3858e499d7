#pragma once
// Bayesian logistic regression on a CSV table (breast-cancer Wisconsin by default), x = (w, θ):
// w | θ ~ N(0, e^{−θ} I), e^θ ~ Gamma(a0, rate b0), labels y ∈ {0, 1}:
// U = Σ_n [log(1 + e^{wᵀx_n}) − y_n wᵀx_n] + ½ e^θ |w|² + b0 e^θ − (D/2 + a0) θ
// (−(D/2)θ with the AF reference code's convention). 80/20 seeded split, standardised features + intercept.
#include <string>
#include <vector>

#include "boltzflow/targets/Target.hpp"

namespace boltzflow {

class LogisticRegression : public Target {
 public:
  LogisticRegression(const std::string& csv_path, std::uint64_t split_seed, double test_fraction, double a0, double b0,
                     bool af_convention);
  std::string name() const override { return "logistic"; }
  int dim() const override { return D_ + 1; }
  void energy(const Particles& x, const Scalars& U) const override;
  void gradient(const Particles& x, const Scalars& U, const Particles& g) const override;
  void laplacian(const Particles& x, const Scalars& lap) const override;
  std::map<std::string, Table> parameters() const override;

  int n_train() const { return static_cast<int>(train_idx_.size()); }
  int n_test() const { return static_cast<int>(test_idx_.size()); }
  int n_positive() const { return n_pos_; }
  // Over posterior samples (host rows of x): mean test accuracy, and mean over test points of
  // log(mean over samples of p(y | x, w)) — the AF code's "average log predictive".
  double test_accuracy(const Matrix<Real, HostSpace>& samples) const;
  double log_predictive(const Matrix<Real, HostSpace>& samples) const;

  struct Fn {
    int D, n;
    double a0, b0, theta_coef;
    Matrix<Real> X;  // (n_train, D) standardised + intercept
    Vector<Real> y;
    KOKKOS_INLINE_FUNCTION double U(const Particles& x, int i) const;
    KOKKOS_INLINE_FUNCTION double grad(const Particles& x, int i, const Particles& g) const;
    KOKKOS_INLINE_FUNCTION double lap(const Particles& x, int i) const;
  };

 private:
  int D_ = 0, n_pos_ = 0;
  std::vector<int> train_idx_, test_idx_;
  std::vector<double> test_X_, test_y_;  // host, standardised
  Fn fn_;
};

}  // namespace boltzflow
