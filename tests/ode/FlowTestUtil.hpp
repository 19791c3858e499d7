#pragma once
// Test-only helpers for the ODE integrator tests: host/device copies, random inputs from
// core/Rng, a linear velocity field with a closed-form flow, and small velocity MLPs.
#include <cmath>
#include <functional>
#include <vector>

#include "boltzflow/core/Rng.hpp"
#include "boltzflow/nn/VelocityMlp.hpp"
#include "boltzflow/ode/Integrator.hpp"

namespace flowtest {

using namespace boltzflow;
using Mat = Matrix<double>;
using Vec = Vector<double>;
using Probes = nn::VelocityField<double>::Probes;

template <class V>
std::vector<double> host(const V& v) {
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), v);
  return std::vector<double>(h.data(), h.data() + h.span());
}
template <class V>
void set(const V& v, const std::vector<double>& values) {
  auto h = Kokkos::create_mirror_view(v);
  for (std::size_t i = 0; i < values.size(); ++i) h.data()[i] = values[i];
  Kokkos::deep_copy(v, h);
}
// n standard normals (times `scale`) keyed by index under one seed.
inline std::vector<double> normals(int n, std::uint64_t seed, double scale = 1.0) {
  std::vector<double> w(n);
  const Rng r(seed, Stream::metrics);
  for (int i = 0; i < n; ++i) w[i] = scale * r.normal(i, 3, 0);
  return w;
}
inline double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}
inline double max_abs_diff(const std::vector<double>& a, const std::vector<double>& b) {
  double m = 0;
  for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(a[i] - b[i]));
  return m;
}

// v(x, t) = A x + c t with params θ = (A row-major, c): ∇·v = tr A, Hutchinson: mean_k εᵀAε.
class LinearField : public nn::VelocityField<double> {
 public:
  LinearField(int d, const std::vector<double>& A, const std::vector<double>& c) : d_(d), p_("linear_params", d * d + d) {
    std::vector<double> all(A);
    all.insert(all.end(), c.begin(), c.end());
    set(p_, all);
  }
  int dim() const override { return d_; }
  std::size_t num_params() const override { return p_.extent(0); }
  Vec params() const override { return p_; }
  std::size_t workspace_bytes_per_particle(nn::DivMode, int) const override { return 0; }  // closed form: no jets

  void forward(const Mat& x, double t, nn::DivMode mode, const Probes& probes, const Mat& v,
               const Vec& div) const override {
    const int d = d_;
    const Vec p = p_;
    Kokkos::parallel_for(
        "boltzflow::test::linear_forward", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)), KOKKOS_LAMBDA(const int b) {
          for (int i = 0; i < d; ++i) {
            double s = p(d * d + i) * t;
            for (int j = 0; j < d; ++j) s += p(i * d + j) * x(b, j);
            v(b, i) = s;
          }
          if (mode == nn::DivMode::exact) {
            double tr = 0;
            for (int i = 0; i < d; ++i) tr += p(i * d + i);
            div(b) = tr;
          } else if (mode == nn::DivMode::hutchinson) {
            const int K = probes.extent(1);
            double s = 0;
            for (int k = 0; k < K; ++k)
              for (int i = 0; i < d; ++i)
                for (int j = 0; j < d; ++j) s += probes(b, k, i) * p(i * d + j) * probes(b, k, j);
            div(b) = s / K;
          }
        });
  }
  void vjp(const Mat& x, double t, nn::DivMode mode, const Probes& probes, const Mat& gv, const Vec& gdiv,
           const Mat& gx, const Vec& gparams) const override {
    const int d = d_, B = x.extent(0);
    const Vec p = p_;
    Kokkos::parallel_for(
        "boltzflow::test::linear_vjp_x", Kokkos::RangePolicy<ExecSpace>(0, B), KOKKOS_LAMBDA(const int b) {
          for (int j = 0; j < d; ++j) {
            double s = 0;
            for (int i = 0; i < d; ++i) s += p(i * d + j) * gv(b, i);
            gx(b, j) = s;
          }
        });
    Kokkos::parallel_for(
        "boltzflow::test::linear_vjp_params", Kokkos::RangePolicy<ExecSpace>(0, d * d + d), KOKKOS_LAMBDA(const int q) {
          double s = 0;
          if (q >= d * d) {
            for (int b = 0; b < B; ++b) s += gv(b, q - d * d) * t;
          } else {
            const int i = q / d, j = q % d;
            for (int b = 0; b < B; ++b) {
              s += gv(b, i) * x(b, j);
              if (mode == nn::DivMode::exact && i == j) s += gdiv(b);
              if (mode == nn::DivMode::hutchinson) {
                const int K = probes.extent(1);
                double e = 0;
                for (int k = 0; k < K; ++k) e += probes(b, k, i) * probes(b, k, j);
                s += gdiv(b) * e / K;
              }
            }
          }
          gparams(q) += s;
        });
  }

 private:
  int d_;
  Vec p_;
};

// exp(M) of a small dense n×n matrix (row-major) by its Taylor series (‖M‖ of order 1).
inline std::vector<double> expm(const std::vector<double>& M, int n) {
  std::vector<double> E(n * n, 0.0), T(n * n, 0.0), U(n * n);
  for (int i = 0; i < n; ++i) E[i * n + i] = T[i * n + i] = 1;
  for (int k = 1; k <= 60; ++k) {
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) {
        double s = 0;
        for (int l = 0; l < n; ++l) s += T[i * n + l] * M[l * n + j];
        U[i * n + j] = s / k;
      }
    T = U;
    for (int i = 0; i < n * n; ++i) E[i] += T[i];
  }
  return E;
}

// Exact flow of x' = A x + c t from (x0, t0) to t: z = (x, τ, 1) solves z' = M z with
// M = [[A, c, 0], [0, 0, 1], [0, 0, 0]], so z(t) = exp(M (t - t0)) z(t0).
inline std::vector<double> linear_flow(int d, const std::vector<double>& A, const std::vector<double>& c,
                                       const std::vector<double>& x0, double t0, double t) {
  const int n = d + 2;
  std::vector<double> M(n * n, 0.0);
  for (int i = 0; i < d; ++i) {
    for (int j = 0; j < d; ++j) M[i * n + j] = A[i * d + j] * (t - t0);
    M[i * n + d] = c[i] * (t - t0);
  }
  M[d * n + d + 1] = t - t0;
  const auto E = expm(M, n);
  std::vector<double> z0(x0);
  z0.push_back(t0);
  z0.push_back(1.0);
  std::vector<double> x(d, 0.0);
  for (int i = 0; i < d; ++i)
    for (int j = 0; j < n; ++j) x[i] += E[i * n + j] * z0[j];
  return x;
}

inline nn::MlpShape mlp_shape(int d, nn::Activation act) {
  nn::MlpShape s;
  s.dim = d;
  s.width = 8;
  s.depth = 2;
  s.activation = act;
  s.softplus_beta = act == nn::Activation::softplus ? 3.0 : 1.0;
  s.time = nn::TimeInput::linear;
  return s;
}

// Particles x (B, d) ~ scale·N(0, I) keyed by global particle id (offset + b).
inline Mat particles(int B, int d, std::uint64_t seed, double scale = 1.0, int offset = 0) {
  Mat x("x", B, d);
  auto h = Kokkos::create_mirror_view(x);
  const Rng r(seed, Stream::metrics);
  for (int b = 0; b < B; ++b)
    for (int j = 0; j < d; ++j) h(b, j) = scale * r.normal(offset + b, 1, j);
  Kokkos::deep_copy(x, h);
  return x;
}
// Rademacher probes (B, K, d) keyed by global particle id.
inline Probes rademacher_probes(int B, int K, int d, std::uint64_t seed, int offset = 0) {
  Probes p("probes", B, K, d);
  auto h = Kokkos::create_mirror_view(p);
  const Rng r(seed, Stream::hutchinson);
  for (int b = 0; b < B; ++b)
    for (int k = 0; k < K; ++k)
      for (int j = 0; j < d; ++j) h(b, k, j) = r.rademacher(offset + b, 0, k * d + j);
  Kokkos::deep_copy(p, h);
  return p;
}

}  // namespace flowtest
