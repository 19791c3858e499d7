#include "boltzflow/targets/Lgcp.hpp"

#include <KokkosBlas3_gemm.hpp>
#include <cmath>

#include "boltzflow/core/Cholesky.hpp"
#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Grow.hpp"
#include "boltzflow/core/Math.hpp"
#include "boltzflow/targets/Csv.hpp"

namespace boltzflow {

namespace {

using ColMajor = Kokkos::View<Real**, Kokkos::LayoutLeft, MemSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>>;

// K⁻¹ (row-major n × n) of a symmetric positive definite K, and log det K: Cholesky K = L Lᵀ,
// X = L⁻¹ kept transposed (XT[j][k] = X[k][j], so every inner loop runs over contiguous rows),
// K⁻¹ = XᵀX. About n³ multiply-adds in all: 4·10⁹ at n = 1600, once per run.
std::vector<double> spd_inverse(std::vector<double> A, int n, double& log_det) {
  auto a = [&](int i, int j) -> double& { return A[std::size_t(i) * n + j]; };
  if (!cholesky_lower(A.data(), A.data(), n)) throw NumericalError("lgcp: the prior covariance is not positive definite");
  log_det = 2 * cholesky_half_log_det(A, n);  // L in the lower triangle of A
  std::vector<double> XT(std::size_t(n) * n, 0.0);
  auto xt = [&](int j, int k) -> double& { return XT[std::size_t(j) * n + k]; };
  for (int j = 0; j < n; ++j) {  // column j of X = L⁻¹: X[i][j] for i >= j
    xt(j, j) = 1 / a(j, j);
    for (int i = j + 1; i < n; ++i) {
      double s = 0;
      for (int k = j; k < i; ++k) s += a(i, k) * xt(j, k);
      xt(j, i) = -s / a(i, i);
    }
  }
  std::vector<double> inv(std::size_t(n) * n);
  for (int p = 0; p < n; ++p)
    for (int q = p; q < n; ++q) {
      double s = 0;
      for (int i = q; i < n; ++i) s += xt(p, i) * xt(q, i);  // X[i][p] X[i][q], nonzero for i >= max(p, q)
      inv[std::size_t(p) * n + q] = inv[std::size_t(q) * n + p] = s;
    }
  return inv;
}

// U (and ∇U if g is not empty) of the rows of x; a free function: CUDA lambdas may not sit in a
// private member.
void lgcp_energy(const Matrix<Real>& kinv, const Vector<Real>& counts, double mu, double a, double half_log_det,
                 Vector<Real>& work, const Particles& x, const Scalars& U, const Particles& g) {
  const int n = x.extent(0), d = kinv.extent(0);
  if (n == 0) return;
  BOLTZFLOW_ASSERT(int(x.extent(1)) == d && x.span_is_contiguous() && int(x.stride(0)) == d,
                   "lgcp: x must be contiguous (n, d) rows");
  // R = x − μ0 and S = R K⁻¹ as (n, d) rows; a row-major (n, d) block is the column-major (d, n)
  // one, and K⁻¹ is symmetric, so Sᵀ = K⁻¹ Rᵀ is one column-major GEMM.
  grow(work, 2 * std::size_t(n) * d, "boltzflow::lgcp::work");
  const Particles R(work.data(), n, d), S(work.data() + std::size_t(n) * d, n, d);
  Kokkos::parallel_for(
      "boltzflow::lgcp::centre", Kokkos::MDRangePolicy<ExecSpace, Kokkos::Rank<2>>({0, 0}, {n, d}),
      KOKKOS_LAMBDA(const int i, const int j) { R(i, j) = x(i, j) - mu; });
  const ColMajor Rt(R.data(), d, n), St(S.data(), d, n), Kt(kinv.data(), d, d);
  KokkosBlas::gemm("N", "N", Real(1), Kt, Rt, Real(0), St);
  const auto c = counts;
  const bool with_g = g.extent(0) > 0;
  Kokkos::parallel_for(
      "boltzflow::lgcp::energy", Kokkos::RangePolicy<ExecSpace>(0, n), KOKKOS_LAMBDA(const int i) {
        double quad = 0, like = 0;
        for (int j = 0; j < d; ++j) {
          const double e = a * kmath::exp(x(i, j));
          quad += R(i, j) * S(i, j);
          like += c(j) * x(i, j) - e;
          if (with_g) g(i, j) = S(i, j) - c(j) + e;
        }
        U(i) = 0.5 * quad + half_log_det - like;
      });
}

}  // namespace

std::vector<std::array<double, 2>> read_points(const std::string& path, const std::string& key) {
  const auto t = read_csv(path, key);
  std::vector<std::array<double, 2>> p;
  for (const auto& r : t.rows) {
    if (r.size() != 2) throw InputError(key + ": '" + path + "' must have two columns (u, v)");
    p.push_back({r[0], r[1]});
  }
  if (p.empty()) throw InputError(key + ": '" + path + "' holds no points");
  return p;
}

Lgcp::Lgcp(const std::vector<std::array<double, 2>>& points, int M, const std::string& key, double sigma2, double beta)
    : M_(M), sigma2_(sigma2), beta_(beta), a_(1.0 / (double(M) * M)), mu0_(std::log(double(points.size())) - 0.5 * sigma2) {
  if (M < 1) throw InputError(key + ": the grid needs at least one cell per side");
  const int d = M * M;
  counts_.assign(d, 0.0);
  for (const auto& [u, v] : points) {
    if (!(u >= 0 && u <= 1 && v >= 0 && v <= 1))
      throw InputError(key + ": point (" + std::to_string(u) + ", " + std::to_string(v) + ") lies outside [0, 1]²");
    const int row = std::min(int(std::floor(u * M)), M - 1), col = std::min(int(std::floor(v * M)), M - 1);
    counts_[row * M + col] += 1;
  }
  std::vector<double> K(std::size_t(d) * d);
  for (int i = 0; i < d; ++i)
    for (int j = 0; j < d; ++j) K[std::size_t(i) * d + j] = covariance(i, j);
  double log_det = 0;
  kinv_host_ = spd_inverse(std::move(K), d, log_det);
  log_det_2pi_k_ = log_det + d * std::log(2 * M_PI);
  for (int i = 0; i < d; ++i) trace_kinv_ += kinv_host_[std::size_t(i) * d + i];

  kinv_ = Matrix<Real>("boltzflow::lgcp::precision", d, d);
  auto hk = Kokkos::create_mirror_view(kinv_);
  for (int i = 0; i < d; ++i)
    for (int j = 0; j < d; ++j) hk(i, j) = kinv_host_[std::size_t(i) * d + j];
  Kokkos::deep_copy(kinv_, hk);
  counts_dev_ = Vector<Real>("boltzflow::lgcp::counts", d);
  auto hc = Kokkos::create_mirror_view(counts_dev_);
  for (int i = 0; i < d; ++i) hc(i) = counts_[i];
  Kokkos::deep_copy(counts_dev_, hc);
}

double Lgcp::covariance(int i, int j) const {
  const double dr = double(i / M_ - j / M_), dc = double(i % M_ - j % M_);
  return sigma2_ * std::exp(-std::sqrt(dr * dr + dc * dc) / (M_ * beta_));
}

void Lgcp::energy(const Particles& x, const Scalars& U) const {
  lgcp_energy(kinv_, counts_dev_, mu0_, a_, 0.5 * log_det_2pi_k_, work_, x, U, Particles());
}

void Lgcp::gradient(const Particles& x, const Scalars& U, const Particles& g) const {
  lgcp_energy(kinv_, counts_dev_, mu0_, a_, 0.5 * log_det_2pi_k_, work_, x, U, g);
}

void Lgcp::laplacian(const Particles& x, const Scalars& lap) const {
  const int d = dim();
  const double a = a_, tr = trace_kinv_;
  Kokkos::parallel_for(
      "boltzflow::lgcp::laplacian", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)), KOKKOS_LAMBDA(const int i) {
        double s = 0;
        for (int j = 0; j < d; ++j) s += kmath::exp(x(i, j));
        lap(i) = tr + a * s;
      });
}

std::map<std::string, Target::Table> Lgcp::parameters() const {
  return {{"counts", {std::size_t(M_), std::size_t(M_), counts_}}, {"prior", {1, 4, {mu0_, sigma2_, beta_, a_}}}};
}

}  // namespace boltzflow
