#include "boltzflow/targets/LogisticRegression.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <sstream>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Math.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/targets/Pointwise.hpp"

namespace boltzflow {

KOKKOS_INLINE_FUNCTION double LogisticRegression::Fn::U(const Particles& x, int i) const {
  const double th = x(i, D), e = kmath::exp(th);
  double u = 0, w2 = 0;
  for (int n_ = 0; n_ < n; ++n_) {
    double z = 0;
    for (int j = 0; j < D; ++j) z += x(i, j) * X(n_, j);
    u += softplus(z) - y(n_) * z;
  }
  for (int j = 0; j < D; ++j) w2 += x(i, j) * x(i, j);
  return u + 0.5 * e * w2 + b0 * e - theta_coef * th;
}
KOKKOS_INLINE_FUNCTION double LogisticRegression::Fn::grad(const Particles& x, int i, const Particles& g) const {
  const double th = x(i, D), e = kmath::exp(th);
  double w2 = 0;
  for (int j = 0; j < D; ++j) {
    g(i, j) = e * x(i, j);
    w2 += x(i, j) * x(i, j);
  }
  for (int n_ = 0; n_ < n; ++n_) {
    double z = 0;
    for (int j = 0; j < D; ++j) z += x(i, j) * X(n_, j);
    const double r = sigmoid(z) - y(n_);
    for (int j = 0; j < D; ++j) g(i, j) += r * X(n_, j);
  }
  g(i, D) = 0.5 * e * w2 + b0 * e - theta_coef;
  return U(x, i);
}
KOKKOS_INLINE_FUNCTION double LogisticRegression::Fn::lap(const Particles& x, int i) const {
  const double e = kmath::exp(x(i, D));
  double l = 0, w2 = 0;
  for (int n_ = 0; n_ < n; ++n_) {
    double z = 0, xn2 = 0;
    for (int j = 0; j < D; ++j) {
      z += x(i, j) * X(n_, j);
      xn2 += X(n_, j) * X(n_, j);
    }
    const double s = sigmoid(z);
    l += s * (1 - s) * xn2;
  }
  for (int j = 0; j < D; ++j) w2 += x(i, j) * x(i, j);
  return l + D * e + 0.5 * e * w2 + b0 * e;
}

LogisticRegression::LogisticRegression(const std::string& path, std::uint64_t split_seed, double test_fraction,
                                       double a0, double b0, bool af_convention) {
  std::ifstream in(path);
  if (!in) throw InputError("target.data: cannot read '" + path + "'");
  std::string line;
  std::getline(in, line);  // header: "rows,features,name0,name1"
  std::vector<std::vector<double>> rows;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::replace(line.begin(), line.end(), ',', ' ');
    std::istringstream s(line);
    std::vector<double> r;
    double v;
    while (s >> v) r.push_back(v);
    if (!rows.empty() && r.size() != rows[0].size())
      throw InputError("target.data: '" + path + "' line " + std::to_string(rows.size() + 2) + " has " +
                       std::to_string(r.size()) + " columns, expected " + std::to_string(rows[0].size()));
    rows.push_back(std::move(r));
  }
  if (rows.size() < 10 || rows[0].size() < 2) throw InputError("target.data: '" + path + "' holds no usable table");
  const int F = static_cast<int>(rows[0].size()) - 1, N = static_cast<int>(rows.size());
  D_ = F + 1;
  // Seeded permutation (Fisher–Yates with counter-based uniforms): the same split on every rank.
  std::vector<int> perm(N);
  std::iota(perm.begin(), perm.end(), 0);
  const Rng rng(split_seed, Stream::target_params);
  for (int k = N - 1; k > 0; --k) std::swap(perm[k], perm[static_cast<int>(rng.uniform(k, 0, 0) * (k + 1))]);
  const int n_test = static_cast<int>(std::lround(test_fraction * N));
  test_idx_.assign(perm.begin(), perm.begin() + n_test);
  train_idx_.assign(perm.begin() + n_test, perm.end());
  std::sort(test_idx_.begin(), test_idx_.end());
  std::sort(train_idx_.begin(), train_idx_.end());
  std::vector<double> mean(F, 0), sd(F, 0);
  for (int r : train_idx_)
    for (int j = 0; j < F; ++j) mean[j] += rows[r][j] / train_idx_.size();
  for (int r : train_idx_)
    for (int j = 0; j < F; ++j) sd[j] += (rows[r][j] - mean[j]) * (rows[r][j] - mean[j]) / train_idx_.size();
  for (auto& s : sd) s = s > 0 ? std::sqrt(s) : 1.0;
  auto standardise = [&](int r, int j) { return j < F ? (rows[r][j] - mean[j]) / sd[j] : 1.0; };

  const int n = static_cast<int>(train_idx_.size());
  fn_ = Fn{D_, n, a0, b0, af_convention ? 0.5 * D_ : 0.5 * D_ + a0, Matrix<Real>("blr_X", n, D_), Vector<Real>("blr_y", n)};
  auto hX = Kokkos::create_mirror_view(fn_.X);
  auto hy = Kokkos::create_mirror_view(fn_.y);
  for (int k = 0; k < n; ++k) {
    for (int j = 0; j < D_; ++j) hX(k, j) = standardise(train_idx_[k], j);
    hy(k) = rows[train_idx_[k]][F];
  }
  Kokkos::deep_copy(fn_.X, hX);
  Kokkos::deep_copy(fn_.y, hy);
  for (int r : test_idx_) {
    for (int j = 0; j < D_; ++j) test_X_.push_back(standardise(r, j));
    test_y_.push_back(rows[r][F]);
  }
  for (const auto& r : rows) n_pos_ += r[F] > 0.5;
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
  return t;
}

double LogisticRegression::test_accuracy(const Matrix<Real, HostSpace>& w) const {
  double acc = 0;
  for (std::size_t s = 0; s < w.extent(0); ++s)
    for (int t = 0; t < n_test(); ++t) {
      double z = 0;
      for (int j = 0; j < D_; ++j) z += w(s, j) * test_X_[t * D_ + j];
      acc += ((z > 0) == (test_y_[t] > 0.5));
    }
  return acc / (double(w.extent(0)) * n_test());
}

double LogisticRegression::log_predictive(const Matrix<Real, HostSpace>& w) const {
  double total = 0;
  for (int t = 0; t < n_test(); ++t) {
    double p = 0;
    for (std::size_t s = 0; s < w.extent(0); ++s) {
      double z = 0;
      for (int j = 0; j < D_; ++j) z += w(s, j) * test_X_[t * D_ + j];
      p += test_y_[t] > 0.5 ? sigmoid(z) : 1 - sigmoid(z);
    }
    total += std::log(p / w.extent(0));
  }
  return total / n_test();
}

}  // namespace boltzflow
