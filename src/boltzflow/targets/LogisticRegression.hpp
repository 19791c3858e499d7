#pragma once
// Bayesian logistic regression (targets.md §9) on a CSV table (breast-cancer Wisconsin by
// default), x = (w, θ) ∈ R^{D+1}, D = features + 1 (intercept): w | θ ~ N(0, e^{−θ}I),
// e^θ ~ Gamma(a0, rate b0), labels y ∈ {0, 1}:
//   U = Σ_n [log(1 + e^{wᵀx_n}) − y_n wᵀx_n] + ½e^θ|w|² + b0 e^θ − (D/2 + a0)θ,
// or −(D/2)θ with the Annealing Flow code's convention (it omits the change-of-variables term).
// Rows are split train/test by a seeded permutation (Stream::target_params, id = position,
// step 3); features are standardised with the training mean and standard deviation.
#include <string>
#include <vector>

#include "boltzflow/targets/Target.hpp"

namespace boltzflow {

class LogisticRegression : public Target {
 public:
  // InputError naming target.logistic_data (and the file) for an unreadable or malformed table.
  LogisticRegression(const std::string& csv_path, std::uint64_t split_seed, double test_fraction, double a0, double b0,
                     bool af_convention);
  std::string name() const override { return "logistic"; }
  int dim() const override { return D_ + 1; }
  void energy(const Particles& x, const Scalars& U) const override;
  void gradient(const Particles& x, const Scalars& U, const Particles& g) const override;
  void laplacian(const Particles& x, const Scalars& lap) const override;
  // "train_rows", "test_rows" (0-based row numbers of the table), "feature_mean", "feature_std".
  std::map<std::string, Table> parameters() const override;

  int n_rows() const { return n_train() + n_test(); }
  int n_train() const { return static_cast<int>(train_idx_.size()); }
  int n_test() const { return static_cast<int>(test_idx_.size()); }
  int n_positive() const { return n_pos_; }  // label-1 rows of the whole table
  int n_features() const { return D_ - 1; }

  // Predictive checks on the held-out rows, over posterior samples (host rows of x = (w, θ);
  // θ is ignored): accuracy of the rule wᵀx > 0 per sample, its mean, and the AF code's
  // "average log predictive" mean_test log(mean_samples p(y | x, w)).
  std::vector<double> test_accuracies(const Matrix<Real, HostSpace>& samples) const;
  double test_accuracy(const Matrix<Real, HostSpace>& samples) const;
  double log_predictive(const Matrix<Real, HostSpace>& samples) const;

  struct Fn {
    int D, n;
    double b0, theta_coef;  // θ's linear coefficient: D/2 + a0 (or D/2)
    Matrix<Real> X;         // (n_train, D): standardised features + intercept column
    Vector<Real> y;
    KOKKOS_INLINE_FUNCTION double U(const Particles& x, int i) const;
    KOKKOS_INLINE_FUNCTION double grad(const Particles& x, int i, const Particles& g) const;
    KOKKOS_INLINE_FUNCTION double lap(const Particles& x, int i) const;
  };

 private:
  int D_ = 0, n_pos_ = 0;
  std::vector<int> train_idx_, test_idx_;
  std::vector<double> feature_mean_, feature_std_;
  std::vector<double> test_X_, test_y_;  // host, standardised, (n_test, D)
  Fn fn_;
};

}  // namespace boltzflow
