#include "boltzflow/targets/GaussianMixture.hpp"

#include <cmath>

#include "boltzflow/core/Cholesky.hpp"
#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Math.hpp"
#include "boltzflow/core/Rng.hpp"

namespace boltzflow {

namespace {
Matrix<Real> to_device(const std::string& label, const std::vector<double>& v, std::size_t rows, std::size_t cols) {
  Matrix<Real> m(label, rows, cols);
  auto h = Kokkos::create_mirror_view(m);
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j) h(i, j) = v[i * cols + j];
  Kokkos::deep_copy(m, h);
  return m;
}

Vector<Real> to_device(const std::string& label, const std::vector<double>& v) {
  Vector<Real> m(label, v.size());
  auto h = Kokkos::create_mirror_view(m);
  for (std::size_t i = 0; i < v.size(); ++i) h(i) = v[i];
  Kokkos::deep_copy(m, h);
  return m;
}

// Component k's gradient coordinate j: (P_k (x_i − μ_k))_j.
KOKKOS_INLINE_FUNCTION double component_grad(const GaussianMixture::Data& m, const Particles& x, int i, int k, int j) {
  if (!m.full) return m.prec(k, j) * (x(i, j) - m.mean(k, j));
  double gj = 0;
  for (int l = 0; l < m.d; ++l) gj += m.prec(k, j * m.d + l) * (x(i, l) - m.mean(k, l));
  return gj;
}

// a_k(x_i) = log π_k − ½ log det(2πΣ_k) − ½ (x_i − μ_k)ᵀ P_k (x_i − μ_k).
KOKKOS_INLINE_FUNCTION double component_log(const GaussianMixture::Data& m, const Particles& x, int i, int k) {
  double q = 0;
  for (int j = 0; j < m.d; ++j) q += (x(i, j) - m.mean(k, j)) * component_grad(m, x, i, k, j);
  return m.log_norm(k) - 0.5 * q;
}

// log Σ_k exp a_k(x_i) in one streaming pass (running maximum).
KOKKOS_INLINE_FUNCTION double log_sum_exp(const GaussianMixture::Data& m, const Particles& x, int i) {
  double amax = -1e300, s = 0;
  for (int k = 0; k < m.K; ++k) {
    const double a = component_log(m, x, i, k);
    if (a > amax) {
      s = s * kmath::exp(amax - a) + 1.0;
      amax = a;
    } else {
      s += kmath::exp(a - amax);
    }
  }
  return amax + kmath::log(s);
}
}  // namespace

GaussianMixture::GaussianMixture(std::string name, int d, std::vector<double> weights, std::vector<double> means,
                                 std::vector<double> diag_var, std::vector<double> full_cov)
    : name_(std::move(name)), d_(d), K_(static_cast<int>(weights.size())), weights_(std::move(weights)),
      means_(std::move(means)), diag_var_(std::move(diag_var)), full_cov_(std::move(full_cov)) {
  const bool full = !full_cov_.empty();
  if (d < 1) throw InputError("target.dim = " + std::to_string(d) + ": a mixture needs d >= 1");
  if (K_ == 0) throw InputError("target.weights: a mixture needs at least one component");
  double wsum = 0;
  for (double w : weights_) {
    if (!(w > 0)) throw InputError("target.weights: weights must be positive");
    wsum += w;
  }
  if (std::abs(wsum - 1.0) > 1e-6) throw InputError("target.weights: weights sum to " + std::to_string(wsum) + ", not 1");
  if (means_.size() != std::size_t(K_) * d)
    throw InputError("target.means: " + std::to_string(means_.size()) + " values for " + std::to_string(K_) +
                     " components in dimension " + std::to_string(d) + " (need K*d = " + std::to_string(K_ * d) + ")");
  if (full && !diag_var_.empty()) throw InputError("target.covariances: give either covariances or sigmas, not both");
  if (full && full_cov_.size() != std::size_t(K_) * d * d)
    throw InputError("target.covariances: " + std::to_string(full_cov_.size()) + " values, need K*d*d = " +
                     std::to_string(K_ * d * d));
  if (!full && diag_var_.size() != std::size_t(K_) * d)
    throw InputError("target.sigmas: need K*d = " + std::to_string(K_ * d) + " variances");

  const std::size_t pc = full ? std::size_t(d) * d : std::size_t(d);
  std::vector<double> prec(K_ * pc), chol(K_ * pc), log_norm(K_), trace(K_), cum(K_);
  for (int k = 0; k < K_; ++k) {
    double logdet = 0, tr = 0;
    if (full) {
      const double* c = &full_cov_[k * pc];
      for (int i = 0; i < d; ++i)
        for (int j = 0; j < i; ++j)
          if (std::abs(c[i * d + j] - c[j * d + i]) > 1e-12 * (std::abs(c[i * d + j]) + std::abs(c[j * d + i])))
            throw InputError("target.covariances: component " + std::to_string(k) + " is not symmetric");
      double* L = &chol[k * pc];
      if (!cholesky_lower(c, L, d))
        throw InputError("target.covariances: component " + std::to_string(k) + " is not positive definite");
      // P = Σ⁻¹ = L⁻ᵀ L⁻¹ from the triangular inverse L⁻¹ (forward substitution per column).
      std::vector<double> inv_l(d * d, 0.0);
      for (int col = 0; col < d; ++col)
        for (int i = 0; i < d; ++i) {
          double s = i == col ? 1.0 : 0.0;
          for (int l = 0; l < i; ++l) s -= L[i * d + l] * inv_l[l * d + col];
          inv_l[i * d + col] = s / L[i * d + i];
        }
      for (int i = 0; i < d; ++i) {
        logdet += 2 * std::log(L[i * d + i]);
        for (int j = 0; j < d; ++j) {
          double s = 0;
          for (int l = 0; l < d; ++l) s += inv_l[l * d + i] * inv_l[l * d + j];
          prec[k * pc + i * d + j] = s;
        }
        tr += prec[k * pc + i * d + i];
      }
    } else {
      for (int j = 0; j < d; ++j) {
        const double v = diag_var_[k * d + j];
        if (!(v > 0) || !std::isfinite(v)) throw InputError("target.sigmas: standard deviations must be positive");
        prec[k * d + j] = 1.0 / v;
        chol[k * d + j] = std::sqrt(v);
        logdet += std::log(v);
        tr += 1.0 / v;
      }
    }
    log_norm[k] = std::log(weights_[k]) - 0.5 * (logdet + d * constants::log_2pi);
    trace[k] = tr;
    cum[k] = (k ? cum[k - 1] : 0.0) + weights_[k] / wsum;
  }
  cum[K_ - 1] = 1.0;
  data_ = Data{K_, d, full, to_device("gmm_log_norm", log_norm), to_device("gmm_cum", cum),
               to_device("gmm_mean", means_, K_, d), to_device("gmm_prec", prec, K_, pc),
               to_device("gmm_chol", chol, K_, pc), to_device("gmm_trace", trace)};
}

GaussianMixture GaussianMixture::isotropic(std::string name, int d, std::vector<double> weights,
                                           std::vector<double> means, std::vector<double> sigmas) {
  const std::size_t K = weights.size();
  for (double s : sigmas)
    if (!(s > 0) || !std::isfinite(s)) throw InputError("target.sigmas: standard deviations must be positive");
  if (sigmas.size() == 1) sigmas.assign(K, sigmas[0]);
  std::vector<double> var;
  if (sigmas.size() == K) {
    for (std::size_t k = 0; k < K; ++k) var.insert(var.end(), d, sigmas[k] * sigmas[k]);
  } else if (sigmas.size() == K * d) {
    for (double s : sigmas) var.push_back(s * s);
  } else {
    throw InputError("target.sigmas: " + std::to_string(sigmas.size()) + " values; give 1, K = " + std::to_string(K) +
                     " or K*d = " + std::to_string(K * d) + " standard deviations");
  }
  return GaussianMixture(std::move(name), d, std::move(weights), std::move(means), std::move(var), {});
}

void GaussianMixture::evaluate(const Particles& x, const Scalars& U, const Particles& g, const Scalars& lap) const {
  const auto m = data_;
  const bool want_U = U.extent(0) > 0, want_g = g.extent(0) > 0, want_lap = lap.extent(0) > 0;
  Kokkos::parallel_for(
      "boltzflow::targets::gmm", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)), KOKKOS_LAMBDA(const int i) {
        const double lse = log_sum_exp(m, x, i);
        if (want_U) U(i) = -lse;
        if (!want_g) return;
        // Second pass: responsibilities r_k, ∇U = Σ r_k g_k (accumulated in row i of g).
        for (int j = 0; j < m.d; ++j) g(i, j) = 0;
        double tr = 0, rg2 = 0;
        for (int k = 0; k < m.K; ++k) {
          const double r = kmath::exp(component_log(m, x, i, k) - lse);
          tr += r * m.trace_prec(k);
          for (int j = 0; j < m.d; ++j) {
            const double gj = component_grad(m, x, i, k, j);
            g(i, j) += r * gj;
            rg2 += r * gj * gj;
          }
        }
        if (want_lap) {
          double grad2 = 0;
          for (int j = 0; j < m.d; ++j) grad2 += g(i, j) * g(i, j);
          lap(i) = tr - rg2 + grad2;
        }
      });
}

void GaussianMixture::energy(const Particles& x, const Scalars& U) const { evaluate(x, U, Particles(), Scalars()); }
void GaussianMixture::gradient(const Particles& x, const Scalars& U, const Particles& g) const {
  evaluate(x, U, g, Scalars());
}
void GaussianMixture::laplacian(const Particles& x, const Scalars& lap) const {
  const Particles scratch(Kokkos::view_alloc(Kokkos::WithoutInitializing, "gmm_grad_scratch"), x.extent(0), x.extent(1));
  evaluate(x, Scalars(), scratch, lap);
}

void GaussianMixture::sample(std::uint64_t seed, std::uint64_t first_id, const Particles& x) const {
  // Component from uniform 0 of step 0, then μ_k + L_k z with z the normals of step 1.
  const auto m = data_;
  const Rng rng(seed, Stream::exact_samples);
  Kokkos::parallel_for(
      "boltzflow::targets::gmm_sample", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)), KOKKOS_LAMBDA(const int i) {
        const std::uint64_t id = first_id + i;
        const double u = rng.uniform(id, 0, 0);
        int k = 0;
        while (k < m.K - 1 && u > m.cum_weight(k)) ++k;
        for (int j = 0; j < m.d; ++j) {
          double v = m.mean(k, j);
          if (m.full) {
            for (int l = 0; l <= j; ++l) v += m.chol(k, j * m.d + l) * rng.normal(id, 1, l);
          } else {
            v += m.chol(k, j) * rng.normal(id, 1, j);
          }
          x(i, j) = v;
        }
      });
}

void GaussianMixture::assign_modes(const Particles& x, const Vector<int>& label) const {
  const auto m = data_;
  Kokkos::parallel_for(
      "boltzflow::targets::gmm_modes", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)), KOKKOS_LAMBDA(const int i) {
        int best = 0;
        double a = component_log(m, x, i, 0);
        for (int k = 1; k < m.K; ++k) {
          const double b = component_log(m, x, i, k);
          if (b > a) {
            a = b;
            best = k;
          }
        }
        label(i) = best;
      });
}

std::map<std::string, Target::Table> GaussianMixture::parameters() const {
  std::map<std::string, Table> t;
  t["weights"] = {std::size_t(K_), 1, weights_};
  t["means"] = {std::size_t(K_), std::size_t(d_), means_};
  if (full_covariance()) {
    t["covariances"] = {std::size_t(K_), std::size_t(d_) * d_, full_cov_};
  } else {
    std::vector<double> sd(diag_var_.size());
    for (std::size_t i = 0; i < sd.size(); ++i) sd[i] = std::sqrt(diag_var_[i]);
    t["sigmas"] = {std::size_t(K_), std::size_t(d_), sd};
  }
  return t;
}

}  // namespace boltzflow
