#pragma once
// Shared helpers of the target tests: building targets from deck text, host <-> device
// copies, finite-difference checks, quadrature of log Z through the energy kernel, and
// exact samples on the host.
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/targets/Factory.hpp"
#include "catch_compat.hpp"

namespace boltzflow::test {

using HostMatrix = Matrix<Real, HostSpace>;

inline config::Options parse_target_deck(const std::string& body) {
  config::po::options_description d;
  add_target_options(d);
  return config::Options::parse(d, "[target]\n" + body, {});
}

inline std::unique_ptr<Target> build(const std::string& body) { return make_target(parse_target_deck(body)); }

inline Particles to_device(const HostMatrix& h) {
  Particles x("x", h.extent(0), h.extent(1));
  Kokkos::deep_copy(x, h);
  return x;
}

inline std::vector<double> energies(const Target& t, const HostMatrix& hx) {
  Scalars U("U", hx.extent(0));
  t.energy(to_device(hx), U);
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), U);
  return std::vector<double>(h.data(), h.data() + h.extent(0));
}

// Returns U (from gradient()) and fills g (n, d) on the host.
inline std::vector<double> gradients(const Target& t, const HostMatrix& hx, HostMatrix& g) {
  Scalars U("U", hx.extent(0));
  Particles dg("g", hx.extent(0), hx.extent(1));
  t.gradient(to_device(hx), U, dg);
  g = Kokkos::create_mirror_view_and_copy(HostSpace(), dg);
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), U);
  return std::vector<double>(h.data(), h.data() + h.extent(0));
}

inline std::vector<double> laplacians(const Target& t, const HostMatrix& hx) {
  Scalars L("lap", hx.extent(0));
  t.laplacian(to_device(hx), L);
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), L);
  return std::vector<double>(h.data(), h.data() + h.extent(0));
}

inline HostMatrix exact_samples(const Target& t, int n, std::uint64_t seed, std::uint64_t first_id = 0) {
  Particles x("x", n, t.dim());
  t.sample(seed, first_id, x);
  return Kokkos::create_mirror_view_and_copy(HostSpace(), x);
}

inline std::vector<int> mode_labels(const Target& t, const HostMatrix& hx) {
  Vector<int> lab("labels", hx.extent(0));
  t.assign_modes(to_device(hx), lab);
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), lab);
  return std::vector<int>(h.data(), h.data() + h.extent(0));
}

// n points x_ij = shift + scale z_ij (z standard normal), then `adjust` (keeps them where the
// target is smooth).
inline HostMatrix random_points(int n, int d, double scale, double shift, std::uint64_t seed,
                                const std::function<void(HostMatrix&)>& adjust = {}) {
  HostMatrix x("points", n, d);
  const Rng r(seed, Stream::metrics);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j) x(i, j) = shift + scale * r.normal(i, 0, j);
  if (adjust) adjust(x);
  return x;
}

// Worst relative error |a − b| / max(|b|, 1) (the floor keeps near-zero components absolute).
inline double rel_err(double a, double b) { return std::abs(a - b) / std::max(std::abs(b), 1.0); }

// Checks gradient() against 5-point central differences of energy() and laplacian() against
// 5-point differences of gradient() (truncation O(h⁴)); gradient() must return energy()'s U.
inline void check_derivatives(const Target& t, const HostMatrix& hx, double h = 1e-3, double tol = 1e-6) {
  const int n = hx.extent(0), d = hx.extent(1);
  HostMatrix g0;
  const auto Ug = gradients(t, hx, g0);
  const auto U0 = energies(t, hx);
  const auto L0 = laplacians(t, hx);
  for (int i = 0; i < n; ++i) CHECK(Ug[i] == Approx(U0[i]).epsilon(1e-13));
  // All shifted copies in one batch: row ((j*4 + s)*n + i) is x_i + o_s h e_j.
  const double o[4] = {2, 1, -1, -2}, c[4] = {-1, 8, -8, 1};
  HostMatrix xs("shifted", std::size_t(4) * d * n, d);
  for (int j = 0; j < d; ++j)
    for (int s = 0; s < 4; ++s)
      for (int i = 0; i < n; ++i) {
        const std::size_t row = (std::size_t(j) * 4 + s) * n + i;
        for (int l = 0; l < d; ++l) xs(row, l) = hx(i, l);
        xs(row, j) += o[s] * h;
      }
  HostMatrix gs;
  gradients(t, xs, gs);
  const auto Us = energies(t, xs);
  double worst_g = 0, worst_l = 0;
  for (int i = 0; i < n; ++i) {
    double fd_lap = 0;
    for (int j = 0; j < d; ++j) {
      double fd_g = 0, fd_gj = 0;
      for (int s = 0; s < 4; ++s) {
        const std::size_t row = (std::size_t(j) * 4 + s) * n + i;
        fd_g += c[s] * Us[row] / (12 * h);
        fd_gj += c[s] * gs(row, j) / (12 * h);
      }
      fd_lap += fd_gj;
      worst_g = std::max(worst_g, rel_err(g0(i, j), fd_g));
    }
    worst_l = std::max(worst_l, rel_err(L0[i], fd_lap));
  }
  INFO("worst relative gradient error " << worst_g << ", Laplacian " << worst_l);
  CHECK(worst_g < tol);
  CHECK(worst_l < tol);
}

// log Σ_i exp(v_i) + log(weight).
inline double log_sum_exp(const std::vector<double>& v, double log_weight = 0.0) {
  double m = -std::numeric_limits<double>::infinity();
  for (double a : v) m = std::max(m, a);
  double s = 0;
  for (double a : v) s += std::exp(a - m);
  return m + std::log(s) + log_weight;
}

// log ∫∫ e^{−U} over [a0, b0] × [a1, b1] by the midpoint rule with m0 × m1 cells.
inline double log_z_box(const Target& t, double a0, double b0, double a1, double b1, int m0, int m1) {
  const double h0 = (b0 - a0) / m0, h1 = (b1 - a1) / m1;
  HostMatrix x("grid", std::size_t(m0) * m1, 2);
  for (int p = 0; p < m0; ++p)
    for (int q = 0; q < m1; ++q) {
      x(std::size_t(p) * m1 + q, 0) = a0 + (p + 0.5) * h0;
      x(std::size_t(p) * m1 + q, 1) = a1 + (q + 0.5) * h1;
    }
  auto U = energies(t, x);
  for (auto& u : U) u = -u;
  return log_sum_exp(U, std::log(h0 * h1));
}

// Mode frequencies of n exact samples against the exact weights: each within 5 binomial standard
// errors (plus 1e-3 for the rare modes), every sample labelled.
inline void check_mode_frequencies(const Target& t, int n, std::uint64_t seed) {
  REQUIRE(t.has_sampler());
  const auto w = t.mode_weights();
  REQUIRE(static_cast<int>(w.size()) == t.num_modes());
  const auto lab = mode_labels(t, exact_samples(t, n, seed));
  std::vector<double> freq(w.size(), 0.0);
  for (int l : lab) {
    REQUIRE(l >= 0);
    REQUIRE(l < static_cast<int>(w.size()));
    freq[l] += 1.0 / n;
  }
  for (std::size_t k = 0; k < w.size(); ++k) {
    INFO("mode " << k << ": frequency " << freq[k] << ", exact weight " << w[k]);
    CHECK(std::abs(freq[k] - w[k]) < 5 * std::sqrt(w[k] * (1 - w[k]) / n) + 1e-3);
  }
}

// Sample mean (d) and covariance (d × d, row-major) of the rows of x.
struct Moments {
  std::vector<double> mean, cov;
};
inline Moments moments(const HostMatrix& x) {
  const int n = x.extent(0), d = x.extent(1);
  Moments m{std::vector<double>(d, 0.0), std::vector<double>(std::size_t(d) * d, 0.0)};
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j) m.mean[j] += x(i, j) / n;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j)
      for (int l = 0; l < d; ++l) m.cov[j * d + l] += (x(i, j) - m.mean[j]) * (x(i, l) - m.mean[l]) / (n - 1);
  return m;
}

// The deck error message of building `body`; FAILs when it builds, or throws something else.
inline std::string input_error(const std::string& body) {
  try {
    build(body);
  } catch (const InputError& e) {
    return e.what();
  }
  FAIL("no InputError for deck:\n" << body);
  return {};
}

}  // namespace boltzflow::test
