#include "boltzflow/samplers/interpolant/Whitening.hpp"

#include <algorithm>
#include <cmath>

#include "boltzflow/core/Cholesky.hpp"
#include "boltzflow/core/Error.hpp"

namespace boltzflow::interpolant {

namespace {
std::size_t at(int i, int j, int d) { return std::size_t(i) * d + j; }

std::string coordinate_error(int j, double m, double second) {
  // Overflowing or NaN moments would whiten every row to 0 (or NaN) and train on nothing.
  return "WhitenedCnf: the training rows' mean/std of coordinate " + std::to_string(j) + " are not finite (mean " +
         std::to_string(m) + ", second moment " + std::to_string(second) + ")";
}

// Global column sums of `rows` (and the row count in the last slot).
std::vector<double> global_means(const Comm& comm, const HostParticles& h, int d) {
  Vector<double, HostSpace> acc("boltzflow::interpolant::sums", d + 1);
  for (std::size_t i = 0; i < h.extent(0); ++i)
    for (int j = 0; j < d; ++j) acc(j) += h(i, j);
  acc(d) = double(h.extent(0));
  comm.allreduce_sum(acc);
  if (!(acc(d) > 0)) throw NumericalError("WhitenedCnf: no data rows to fit the whitening");
  std::vector<double> m(d + 1);
  for (int j = 0; j < d; ++j) m[j] = acc(j) / acc(d);
  m[d] = acc(d);
  return m;
}
}  // namespace

WhiteningKind whitening_from_string(const std::string& s, const std::string& key) {
  if (s == "diagonal") return WhiteningKind::diagonal;
  if (s == "full") return WhiteningKind::full;
  throw InputError(key + " = " + s + ": expected diagonal or full");
}

std::string whitening_name(WhiteningKind k) { return k == WhiteningKind::full ? "full" : "diagonal"; }

Whitening::Whitening(int dim, WhiteningKind kind) : d_(dim), kind_(kind) {
  set_diagonal(std::vector<double>(d_, 0.0), std::vector<double>(d_, 1.0));
}

void Whitening::set_diagonal(const std::vector<double>& mean, const std::vector<double>& std) {
  BOLTZFLOW_ASSERT(int(std.size()) == d_, "Whitening: std size");
  std::vector<double> L(std::size_t(d_) * d_, 0.0);
  for (int j = 0; j < d_; ++j) L[at(j, j, d_)] = std[j];
  set(mean, L);
}

void Whitening::set(const std::vector<double>& mean, const std::vector<double>& factor) {
  BOLTZFLOW_ASSERT(int(mean.size()) == d_ && factor.size() == std::size_t(d_) * d_, "Whitening: sizes");
  mean_ = mean;
  factor_ = factor;
  diagonal_ = true;
  for (int i = 0; i < d_; ++i)
    for (int j = 0; j < d_; ++j) {
      const double v = factor[at(i, j, d_)];
      BOLTZFLOW_ASSERT(j <= i || v == 0, "Whitening: the factor must be lower triangular");
      BOLTZFLOW_ASSERT(i != j || v > 0, "Whitening: the factor's diagonal must be positive");
      if (i != j && v != 0) diagonal_ = false;
    }
  Vector<Real, HostSpace> hm("mean", d_);
  Matrix<Real, HostSpace> hl("factor", d_, d_);
  for (int i = 0; i < d_; ++i) {
    hm(i) = mean[i];
    for (int j = 0; j < d_; ++j) hl(i, j) = factor[at(i, j, d_)];
  }
  dmean_ = Kokkos::create_mirror_view_and_copy(MemSpace(), hm);
  dfactor_ = Kokkos::create_mirror_view_and_copy(MemSpace(), hl);
}

void Whitening::fit(const Comm& comm, const Particles& rows, double min_std) {
  const int d = d_;
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), rows);
  if (kind_ == WhiteningKind::diagonal) {
    Vector<double, HostSpace> acc("boltzflow::interpolant::moments", 2 * d + 1);
    for (std::size_t i = 0; i < h.extent(0); ++i)
      for (int j = 0; j < d; ++j) {
        acc(j) += h(i, j);
        acc(d + j) += h(i, j) * h(i, j);
      }
    acc(2 * d) = double(h.extent(0));
    comm.allreduce_sum(acc);
    const double n = acc(2 * d);
    if (!(n > 0)) throw NumericalError("WhitenedCnf: no data rows to fit the whitening");
    std::vector<double> m(d), s(d);
    for (int j = 0; j < d; ++j) {
      m[j] = acc(j) / n;
      s[j] = std::max(min_std, std::sqrt(std::max(0.0, acc(d + j) / n - m[j] * m[j])));
      if (!std::isfinite(m[j]) || !std::isfinite(s[j]) || !std::isfinite(acc(d + j)))
        throw NumericalError(coordinate_error(j, m[j], acc(d + j) / n));
    }
    set_diagonal(m, s);
    return;
  }
  // Full: two passes (mean, then centred products) so that a large mean costs no precision.
  auto m = global_means(comm, h, d);
  const double n = m[d];
  m.resize(d);
  Vector<double, HostSpace> acc("boltzflow::interpolant::products", std::size_t(d) * d);
  std::vector<double> c(d);
  for (std::size_t i = 0; i < h.extent(0); ++i) {
    for (int j = 0; j < d; ++j) c[j] = h(i, j) - m[j];
    for (int j = 0; j < d; ++j)
      for (int k = 0; k <= j; ++k) acc(at(j, k, d)) += c[j] * c[k];
  }
  comm.allreduce_sum(acc);
  std::vector<double> cov(std::size_t(d) * d);
  for (int j = 0; j < d; ++j) {
    if (!std::isfinite(m[j]) || !std::isfinite(acc(at(j, j, d)))) throw NumericalError(coordinate_error(j, m[j], acc(at(j, j, d)) / n));
    for (int k = 0; k <= j; ++k) cov[at(j, k, d)] = cov[at(k, j, d)] = acc(at(j, k, d)) / n;
    cov[at(j, j, d)] += min_std * min_std;
  }
  if (!cholesky_lower(cov.data(), cov.data(), d))
    throw NumericalError("WhitenedCnf: the training rows' covariance is not positive definite (raise the min_std ridge)");
  set(m, cov);
}

std::vector<double> Whitening::std() const {
  std::vector<double> s(d_);
  for (int i = 0; i < d_; ++i) {
    double v = 0;
    for (int j = 0; j <= i; ++j) v += factor_[at(i, j, d_)] * factor_[at(i, j, d_)];
    s[i] = std::sqrt(v);
  }
  return s;
}

double Whitening::log_det() const { return cholesky_half_log_det(factor_, d_); }

void Whitening::whiten(const Particles& x, const Particles& y) const {
  const auto m = dmean_;
  const auto L = dfactor_;
  const int d = d_;
  if (diagonal_) {
    Kokkos::parallel_for(
        "boltzflow::interpolant::whiten_diagonal", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)),
        KOKKOS_LAMBDA(const int i) {
          for (int j = 0; j < d; ++j) y(i, j) = (x(i, j) - m(j)) / L(j, j);
        });
    return;
  }
  // Forward substitution in increasing j: y_k (k < j) are final when y_j is formed, and
  // x_j is read before it is overwritten, so y may alias x.
  Kokkos::parallel_for(
      "boltzflow::interpolant::whiten_full", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)),
      KOKKOS_LAMBDA(const int i) {
        for (int j = 0; j < d; ++j) {
          double s = x(i, j) - m(j);
          for (int k = 0; k < j; ++k) s -= L(j, k) * y(i, k);
          y(i, j) = s / L(j, j);
        }
      });
}

void Whitening::unwhiten(const Particles& y, const Particles& x) const {
  const auto m = dmean_;
  const auto L = dfactor_;
  const int d = d_;
  if (diagonal_) {
    Kokkos::parallel_for(
        "boltzflow::interpolant::unwhiten_diagonal", Kokkos::RangePolicy<ExecSpace>(0, y.extent(0)),
        KOKKOS_LAMBDA(const int i) {
          for (int j = 0; j < d; ++j) x(i, j) = m(j) + L(j, j) * y(i, j);
        });
    return;
  }
  // x_j needs y_k for k ≤ j: decreasing j leaves those unwritten, so x may alias y.
  Kokkos::parallel_for(
      "boltzflow::interpolant::unwhiten_full", Kokkos::RangePolicy<ExecSpace>(0, y.extent(0)),
      KOKKOS_LAMBDA(const int i) {
        for (int j = d - 1; j >= 0; --j) {
          double s = m(j);
          for (int k = 0; k <= j; ++k) s += L(j, k) * y(i, k);
          x(i, j) = s;
        }
      });
}

}  // namespace boltzflow::interpolant
