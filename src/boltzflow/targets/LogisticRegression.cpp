#include "boltzflow/targets/LogisticRegression.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Math.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/targets/Csv.hpp"
#include "boltzflow/targets/Pointwise.hpp"

namespace boltzflow {

KOKKOS_INLINE_FUNCTION double LogisticRegression::Fn::U(const Particles& x, int i) const {
  const double th = x(i, D), e = kmath::exp(th);
  double u = 0, w2 = 0;
  for (int r = 0; r < n; ++r) {
    double z = 0;
    for (int j = 0; j < D; ++j) z += x(i, j) * X(r, j);
    u += softplus(z) - y(r) * z;
  }
  for (int j = 0; j < D; ++j) w2 += x(i, j) * x(i, j);
  return u + 0.5 * e * w2 + b0 * e - theta_coef * th;
}
// ∇_w U = Σ_n (σ(wᵀx_n) − y_n) x_n + e^θ w; ∂_θ U = ½e^θ|w|² + b0 e^θ − θ-coefficient.
KOKKOS_INLINE_FUNCTION double LogisticRegression::Fn::grad(const Particles& x, int i, const Particles& g) const {
  const double th = x(i, D), e = kmath::exp(th);
  double u = 0, w2 = 0;
  for (int j = 0; j < D; ++j) {
    g(i, j) = e * x(i, j);
    w2 += x(i, j) * x(i, j);
  }
  for (int r = 0; r < n; ++r) {
    double z = 0;
    for (int j = 0; j < D; ++j) z += x(i, j) * X(r, j);
    u += softplus(z) - y(r) * z;
    const double res = sigmoid(z) - y(r);
    for (int j = 0; j < D; ++j) g(i, j) += res * X(r, j);
  }
  g(i, D) = 0.5 * e * w2 + b0 * e - theta_coef;
  return u + 0.5 * e * w2 + b0 * e - theta_coef * th;
}
// ΔU = Σ_n σ_n(1 − σ_n)|x_n|² + D e^θ + ½e^θ|w|² + b0 e^θ.
KOKKOS_INLINE_FUNCTION double LogisticRegression::Fn::lap(const Particles& x, int i) const {
  const double e = kmath::exp(x(i, D));
  double l = 0, w2 = 0;
  for (int r = 0; r < n; ++r) {
    double z = 0, xn2 = 0;
    for (int j = 0; j < D; ++j) {
      z += x(i, j) * X(r, j);
      xn2 += X(r, j) * X(r, j);
    }
    const double s = sigmoid(z);
    l += s * (1 - s) * xn2;
  }
  for (int j = 0; j < D; ++j) w2 += x(i, j) * x(i, j);
  return l + D * e + 0.5 * e * w2 + b0 * e;
}

LogisticRegression::LogisticRegression(const std::string& path, std::uint64_t split_seed, double test_fraction,
                                       double a0, double b0, bool af_convention) {
  const std::string key = "target.logistic_data";
  const auto table = read_csv(path, key);
  const auto& rows = table.rows;
  const auto bad = [&](const std::string& why) { return InputError(key + " = '" + path + "': " + why); };
  if (rows.size() < 10 || rows[0].size() < 2) throw bad("holds no usable table (need >= 10 rows of features and a label)");
  const int F = static_cast<int>(rows[0].size()) - 1, N = static_cast<int>(rows.size());
  // scikit-learn's header "rows,features,name0,name1": check it when it is there.
  {
    std::istringstream h(table.header);
    long hr = -1, hf = -1;
    char comma = 0;
    if (h >> hr >> comma >> hf && comma == ',' && (hr != N || hf != F))
      throw bad("the header announces " + std::to_string(hr) + " rows and " + std::to_string(hf) + " features, the file has " +
                std::to_string(N) + " and " + std::to_string(F));
  }
  for (int r = 0; r < N; ++r)
    if (rows[r][F] != 0.0 && rows[r][F] != 1.0) throw bad("row " + std::to_string(r + 1) + " has a label other than 0 or 1");
  const int n_test = static_cast<int>(std::lround(test_fraction * N));
  if (n_test < 1 || n_test > N - 2)
    throw InputError("target.logistic_test_fraction = " + std::to_string(test_fraction) + " leaves no test or training rows");
  D_ = F + 1;

  // Seeded permutation (Fisher–Yates with counter-based uniforms): the same split on every rank.
  std::vector<int> perm(N);
  std::iota(perm.begin(), perm.end(), 0);
  const Rng rng(split_seed, Stream::target_params);
  for (int k = N - 1; k > 0; --k) std::swap(perm[k], perm[static_cast<int>(rng.uniform(k, 3, 0) * (k + 1))]);
  test_idx_.assign(perm.begin(), perm.begin() + n_test);
  train_idx_.assign(perm.begin() + n_test, perm.end());
  std::sort(test_idx_.begin(), test_idx_.end());
  std::sort(train_idx_.begin(), train_idx_.end());

  const double nt = static_cast<double>(train_idx_.size());
  feature_mean_.assign(F, 0.0);
  feature_std_.assign(F, 0.0);
  for (int r : train_idx_)
    for (int j = 0; j < F; ++j) feature_mean_[j] += rows[r][j] / nt;
  for (int r : train_idx_)
    for (int j = 0; j < F; ++j) feature_std_[j] += (rows[r][j] - feature_mean_[j]) * (rows[r][j] - feature_mean_[j]) / nt;
  for (auto& s : feature_std_) s = s > 0 ? std::sqrt(s) : 1.0;  // a constant feature stays 0
  const auto standardised = [&](int r, int j) { return j < F ? (rows[r][j] - feature_mean_[j]) / feature_std_[j] : 1.0; };

  const int n = n_train();
  fn_ = Fn{D_, n, b0, af_convention ? 0.5 * D_ : 0.5 * D_ + a0, Matrix<Real>("blr_X", n, D_), Vector<Real>("blr_y", n)};
  auto hX = Kokkos::create_mirror_view(fn_.X);
  auto hy = Kokkos::create_mirror_view(fn_.y);
  for (int k = 0; k < n; ++k) {
    for (int j = 0; j < D_; ++j) hX(k, j) = standardised(train_idx_[k], j);
    hy(k) = rows[train_idx_[k]][F];
  }
  Kokkos::deep_copy(fn_.X, hX);
  Kokkos::deep_copy(fn_.y, hy);
  for (int r : test_idx_) {
    for (int j = 0; j < D_; ++j) test_X_.push_back(standardised(r, j));
    test_y_.push_back(rows[r][F]);
  }
  for (const auto& r : rows) n_pos_ += r[F] == 1.0;
}

void LogisticRegression::energy(const Particles& x, const Scalars& U) const {
  pointwise::energy("boltzflow::targets::logistic", fn_, x, U);
}
void LogisticRegression::gradient(const Particles& x, const Scalars& U, const Particles& g) const {
  pointwise::gradient("boltzflow::targets::logistic_grad", fn_, x, U, g);
}
void LogisticRegression::laplacian(const Particles& x, const Scalars& lap) const {
  pointwise::laplacian("boltzflow::targets::logistic_lap", fn_, x, lap);
}

std::map<std::string, Target::Table> LogisticRegression::parameters() const {
  std::map<std::string, Table> t;
  t["train_rows"] = {train_idx_.size(), 1, std::vector<double>(train_idx_.begin(), train_idx_.end())};
  t["test_rows"] = {test_idx_.size(), 1, std::vector<double>(test_idx_.begin(), test_idx_.end())};
  t["feature_mean"] = {feature_mean_.size(), 1, feature_mean_};
  t["feature_std"] = {feature_std_.size(), 1, feature_std_};
  return t;
}

std::vector<double> LogisticRegression::test_accuracies(const Matrix<Real, HostSpace>& w) const {
  std::vector<double> acc(w.extent(0), 0.0);
  for (std::size_t s = 0; s < w.extent(0); ++s) {
    int right = 0;
    for (int t = 0; t < n_test(); ++t) {
      double z = 0;
      for (int j = 0; j < D_; ++j) z += w(s, j) * test_X_[t * D_ + j];
      right += (z > 0) == (test_y_[t] == 1.0);
    }
    acc[s] = double(right) / n_test();
  }
  return acc;
}

double LogisticRegression::test_accuracy(const Matrix<Real, HostSpace>& w) const {
  const auto acc = test_accuracies(w);
  return acc.empty() ? 0.0 : std::accumulate(acc.begin(), acc.end(), 0.0) / acc.size();
}

double LogisticRegression::log_predictive(const Matrix<Real, HostSpace>& w) const {
  const std::size_t S = w.extent(0);
  if (S == 0) return 0.0;
  std::vector<double> lp(S);
  double total = 0;
  for (int t = 0; t < n_test(); ++t) {
    // log p(y | x, w) = −softplus(−z) for y = 1, −softplus(z) for y = 0; averaged by log-sum-exp.
    double lmax = -1e300;
    for (std::size_t s = 0; s < S; ++s) {
      double z = 0;
      for (int j = 0; j < D_; ++j) z += w(s, j) * test_X_[t * D_ + j];
      lp[s] = -softplus(test_y_[t] == 1.0 ? -z : z);
      lmax = std::max(lmax, lp[s]);
    }
    double sum = 0;
    for (double l : lp) sum += std::exp(l - lmax);
    total += lmax + std::log(sum / S);
  }
  return total / n_test();
}

}  // namespace boltzflow
