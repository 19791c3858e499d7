#include "boltzflow/metrics/Distances.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "boltzflow/core/Math.hpp"
#include "boltzflow/core/Rng.hpp"

namespace boltzflow::metrics {

namespace {
using Host = Matrix<Real, HostSpace>;

Host gather(const Comm& comm, const Particles& x) {
  return comm.allgather_rows(Kokkos::create_mirror_view_and_copy(HostSpace(), x));
}

double dist(const Host& a, std::size_t i, const Host& b, std::size_t j) {
  double s = 0;
  for (std::size_t k = 0; k < a.extent(1); ++k) {
    const double t = a(i, k) - b(j, k);
    s += t * t;
  }
  return std::sqrt(s);
}

// Σ_{i in this rank's share of a} Σ_j f(|a_i − b_j|).
template <class F>
double pair_sum(const Comm& comm, const Host& a, const Host& b, F f) {
  double s = 0;
  for (std::size_t i = comm.rank(); i < a.extent(0); i += comm.size())
    for (std::size_t j = 0; j < b.extent(0); ++j) s += f(dist(a, i, b, j));
  return comm.sum(s);
}

// Unit direction l (seeded normal vector, normalised).
std::vector<double> direction(int d, int l, std::uint64_t seed) {
  const Rng rng(seed, Stream::metrics);
  std::vector<double> v(d);
  double n = 0;
  for (int j = 0; j < d; ++j) {
    v[j] = rng.normal(l, 0xD1u, j);
    n += v[j] * v[j];
  }
  for (auto& e : v) e /= std::sqrt(n);
  return v;
}

std::vector<double> project(const Host& a, const std::vector<double>& v) {
  std::vector<double> p(a.extent(0));
  for (std::size_t i = 0; i < a.extent(0); ++i) {
    double s = 0;
    for (std::size_t k = 0; k < a.extent(1); ++k) s += a(i, k) * v[k];
    p[i] = s;
  }
  std::sort(p.begin(), p.end());
  return p;
}

// ∫(F_a − F_b)² dt of two sorted samples: the CDF difference is constant between merged points.
double ed_1d(const std::vector<double>& a, const std::vector<double>& b) {
  const double na = a.size(), nb = b.size();
  std::size_t i = 0, j = 0;
  double s = 0, prev = 0;
  bool started = false;
  while (i < a.size() || j < b.size()) {
    const double z = (j >= b.size() || (i < a.size() && a[i] <= b[j])) ? a[i] : b[j];
    if (started) {
      const double diff = i / na - j / nb;
      s += diff * diff * (z - prev);
    }
    while (i < a.size() && a[i] == z) ++i;
    while (j < b.size() && b[j] == z) ++j;
    prev = z;
    started = true;
  }
  return s;
}

// W2² of two sorted 1-D samples: ∫_0^1 (F_a⁻¹(u) − F_b⁻¹(u))² du over the merged quantile breakpoints.
double w2_1d(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() == b.size()) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += (a[i] - b[i]) * (a[i] - b[i]);
    return s / a.size();
  }
  const double na = a.size(), nb = b.size();
  std::size_t i = 0, j = 0;
  double u = 0, s = 0;
  while (i < a.size() && j < b.size()) {
    const double next = std::min((i + 1) / na, (j + 1) / nb);
    s += (next - u) * (a[i] - b[j]) * (a[i] - b[j]);
    u = next;
    if ((i + 1) / na <= next) ++i;
    if ((j + 1) / nb <= next) ++j;
  }
  return s;
}

// Seeded subsample of at most m rows (a partial Fisher–Yates on indices).
Host subsample(const Host& a, std::int64_t m, std::uint64_t seed, std::uint32_t which) {
  const std::size_t n = a.extent(0);
  if (m <= 0 || std::size_t(m) >= n) return a;
  std::vector<std::size_t> idx(n);
  for (std::size_t i = 0; i < n; ++i) idx[i] = i;
  const Rng rng(seed, Stream::metrics);
  Host out("subsample", m, a.extent(1));
  for (std::int64_t k = 0; k < m; ++k) {
    const std::size_t r = k + static_cast<std::size_t>(rng.uniform(k, which, 0) * (n - k));
    std::swap(idx[k], idx[r]);
    for (std::size_t c = 0; c < a.extent(1); ++c) out(k, c) = a(idx[k], c);
  }
  return out;
}
}  // namespace

double sliced_ed_factor(int d) { return std::sqrt(constants::pi) * std::exp(std::lgamma(0.5 * (d + 1)) - std::lgamma(0.5 * d)); }

double energy_distance(const Comm& comm, const Particles& xd, const Particles& yd) {
  const auto x = gather(comm, xd), y = gather(comm, yd);
  const double n = x.extent(0), m = y.extent(0);
  const auto id = [](double r) { return r; };
  return pair_sum(comm, x, y, id) / (n * m) - 0.5 * pair_sum(comm, x, x, id) / (n * n) -
         0.5 * pair_sum(comm, y, y, id) / (m * m);
}

double energy_distance_sliced(const Comm& comm, const Particles& xd, const Particles& yd, int L, std::uint64_t seed) {
  const auto x = gather(comm, xd), y = gather(comm, yd);
  const int d = x.extent(1);
  double s = 0;
  for (int l = comm.rank(); l < L; l += comm.size()) {
    const auto v = direction(d, l, seed);
    s += ed_1d(project(x, v), project(y, v));
  }
  return sliced_ed_factor(d) * comm.sum(s) / L;
}

double sliced_w2(const Comm& comm, const Particles& xd, const Particles& yd, int L, std::uint64_t seed) {
  const auto x = gather(comm, xd), y = gather(comm, yd);
  double s = 0;
  for (int l = comm.rank(); l < L; l += comm.size()) {
    const auto v = direction(x.extent(1), l, seed);
    s += w2_1d(project(x, v), project(y, v));
  }
  return std::sqrt(comm.sum(s) / L);
}

double mmd(const Comm& comm, const Particles& xd, const Particles& yd, std::int64_t max_points, std::uint64_t seed) {
  const auto x = subsample(gather(comm, xd), max_points, seed, 1), y = subsample(gather(comm, yd), max_points, seed, 2);
  const std::size_t n = x.extent(0), m = y.extent(0);
  // Median heuristic on the pooled sample (all pairs; at most 2·max_points points).
  std::vector<double> d2;
  Host pool("pool", n + m, x.extent(1));
  for (std::size_t i = 0; i < n + m; ++i)
    for (std::size_t c = 0; c < x.extent(1); ++c) pool(i, c) = i < n ? x(i, c) : y(i - n, c);
  for (std::size_t i = 0; i < n + m; ++i)
    for (std::size_t j = i + 1; j < n + m; ++j) d2.push_back(dist(pool, i, pool, j));
  std::nth_element(d2.begin(), d2.begin() + d2.size() / 2, d2.end());
  const double h = d2[d2.size() / 2];
  const auto k = [h](double r) { return std::exp(-r * r / (2 * h * h)); };
  const double kxx = (pair_sum(comm, x, x, k) - n) / (n * (n - 1.0));  // drop the diagonal (k = 1)
  const double kyy = (pair_sum(comm, y, y, k) - m) / (m * (m - 1.0));
  const double kxy = pair_sum(comm, x, y, k) / (double(n) * m);
  return std::sqrt(std::max(kxx + kyy - 2 * kxy, 1e-20));
}

}  // namespace boltzflow::metrics
