#include <algorithm>
#include <cmath>

#include "boltzflow/core/Rng.hpp"
#include "boltzflow/metrics/Autocorrelation.hpp"
#include "boltzflow/metrics/Distances.hpp"
#include "boltzflow/metrics/Modes.hpp"
#include "boltzflow/metrics/Weights.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;
using Host = Matrix<Real, HostSpace>;

namespace {
// Global sample of n points, row i a function of (seed, i) only; this rank takes rows
// [offset, offset + local) of an even split (the last rank gets none when empty_last).
Particles slice(const Comm& comm, int n, int d, double shift, std::uint64_t seed, bool empty_last = false) {
  const int p = empty_last && comm.size() > 1 ? comm.size() - 1 : comm.size();
  const int r = comm.rank();
  const int local = r < p ? n / p + (r < n % p) : 0;
  const int offset = r < p ? r * (n / p) + std::min(r, n % p) : n;
  Host h("h", local, d);
  const Rng rng(seed, Stream::metrics);
  for (int i = 0; i < local; ++i)
    for (int j = 0; j < d; ++j) h(i, j) = shift + rng.normal(offset + i, 77, j) * (j + 1);
  Particles x("x", local, d);
  Kokkos::deep_copy(x, h);
  return x;
}
Host all_rows(const Comm& comm, const Particles& x) {
  return comm.allgather_rows(Kokkos::create_mirror_view_and_copy(HostSpace(), x));
}
double norm(const Host& a, int i, const Host& b, int j) {
  double s = 0;
  for (std::size_t k = 0; k < a.extent(1); ++k) s += (a(i, k) - b(j, k)) * (a(i, k) - b(j, k));
  return std::sqrt(s);
}
}  // namespace

TEST_CASE("energy distance, MMD and sliced distances against direct computations", "[metrics][mpi]") {
  Comm comm;
  for (bool empty_last : {false, true}) {
    const auto x = slice(comm, 60, 3, 0.0, 1, empty_last), y = slice(comm, 45, 3, 0.7, 2, empty_last);
    const auto X = all_rows(comm, x), Y = all_rows(comm, y);
    const int n = X.extent(0), m = Y.extent(0);
    REQUIRE(n == 60);
    double exy = 0, exx = 0, eyy = 0;
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < m; ++j) exy += norm(X, i, Y, j) / (n * m);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) exx += norm(X, i, X, j) / (n * n);
    for (int i = 0; i < m; ++i)
      for (int j = 0; j < m; ++j) eyy += norm(Y, i, Y, j) / (m * m);
    const double ed = exy - 0.5 * exx - 0.5 * eyy;
    CHECK(metrics::energy_distance(comm, x, y) == Approx(ed).epsilon(1e-12));
    CHECK(metrics::energy_distance(comm, x, x) == Approx(0.0).margin(1e-12));
    // Sliced ED is an unbiased estimate of the exact one over random directions.
    CHECK(metrics::energy_distance_sliced(comm, x, y, 4000, 3) == Approx(ed).epsilon(0.04));

    // MMD with the median heuristic, all points (below the subsample limit).
    std::vector<double> pd;
    Host P("P", n + m, 3);
    for (int i = 0; i < n + m; ++i)
      for (int k = 0; k < 3; ++k) P(i, k) = i < n ? X(i, k) : Y(i - n, k);
    for (int i = 0; i < n + m; ++i)
      for (int j = i + 1; j < n + m; ++j) pd.push_back(norm(P, i, P, j));
    std::sort(pd.begin(), pd.end());
    const double h = pd[pd.size() / 2];
    const auto k = [h](double r) { return std::exp(-r * r / (2 * h * h)); };
    double kxx = 0, kyy = 0, kxy = 0;
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        if (i != j) kxx += k(norm(X, i, X, j)) / (n * (n - 1.0));
    for (int i = 0; i < m; ++i)
      for (int j = 0; j < m; ++j)
        if (i != j) kyy += k(norm(Y, i, Y, j)) / (m * (m - 1.0));
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < m; ++j) kxy += k(norm(X, i, Y, j)) / (n * m);
    CHECK(metrics::mmd(comm, x, y, 2000, 5) == Approx(std::sqrt(kxx + kyy - 2 * kxy)).epsilon(1e-10));
  }
}

TEST_CASE("sliced Wasserstein closed forms", "[metrics]") {
  Comm comm;
  // A pure translation s: SW2² = mean_l (ξ_l·s)² → |s|²/d over many directions.
  const auto x = slice(comm, 200, 2, 0.0, 4);
  Particles y("y", x.extent(0), 2);
  auto hx = Kokkos::create_mirror(x);  // a copy even on host (mirror_view would alias x)
  Kokkos::deep_copy(hx, x);
  for (std::size_t i = 0; i < hx.extent(0); ++i) {
    hx(i, 0) += 3.0;
    hx(i, 1) -= 4.0;
  }
  Kokkos::deep_copy(y, hx);
  CHECK(metrics::sliced_w2(comm, x, y, 4000, 6) == Approx(std::sqrt(25.0 / 2)).epsilon(0.03));
  // Unequal sizes in 1-D: X = {0, 1}, Y = {0, ½, 1}: W2² = 1/12 from the quantile functions.
  if (comm.size() == 1) {
    Particles a("a", 2, 1), b("b", 3, 1);
    auto ha = Kokkos::create_mirror_view(a);
    auto hb = Kokkos::create_mirror_view(b);
    ha(0, 0) = 0, ha(1, 0) = 1, hb(0, 0) = 0, hb(1, 0) = 0.5, hb(2, 0) = 1;
    Kokkos::deep_copy(a, ha);
    Kokkos::deep_copy(b, hb);
    CHECK(metrics::sliced_w2(comm, a, b, 7, 1) == Approx(std::sqrt(1.0 / 12)).epsilon(1e-12));
    // In 1-D every direction is ±1 and c_1 = 1: the sliced ED equals the exact one.
    CHECK(metrics::energy_distance_sliced(comm, a, b, 5, 1) == Approx(metrics::energy_distance(comm, a, b)).epsilon(1e-12));
  }
  // c_d table of the specification.
  CHECK(metrics::sliced_ed_factor(2) == Approx(1.570796).epsilon(1e-6));
  CHECK(metrics::sliced_ed_factor(10) == Approx(3.865632).epsilon(1e-6));
  CHECK(metrics::sliced_ed_factor(200) == Approx(17.702397).epsilon(1e-6));
}

TEST_CASE("mode metrics and importance weights", "[metrics][mpi]") {
  Comm comm;
  // Global labels: i % 4 for i < 100 except label 3 replaced by −1 (unassigned) for i ≥ 80.
  const int n = 100;
  const int local = n / comm.size() + (comm.rank() < n % comm.size());
  const int offset = static_cast<int>(comm.exscan(local));
  Vector<int> lab("lab", local);
  Scalars lw("lw", local);
  auto hl = Kokkos::create_mirror_view(lab);
  auto hw = Kokkos::create_mirror_view(lw);
  for (int i = 0; i < local; ++i) {
    const int g = offset + i;
    hl(i) = (g >= 80 && g % 4 == 3) ? -1 : g % 4;
    hw(i) = std::log(1.0 + g % 3);  // weights 1, 2, 3
  }
  Kokkos::deep_copy(lab, hl);
  Kokkos::deep_copy(lw, hw);
  const auto w = metrics::mode_weights(comm, lab, 5);
  CHECK(w == std::vector<double>{0.25, 0.25, 0.25, 0.20, 0.0});
  const std::vector<double> exact{0.2, 0.2, 0.2, 0.2, 0.2};
  CHECK(metrics::mode_mse_sum(w, exact) == Approx(3 * 0.0025 + 0.04));
  CHECK(metrics::mode_mse_mean(w, exact) == Approx((3 * 0.0025 + 0.04) / 5));
  CHECK(metrics::modes_found(w) == 4);
  CHECK(metrics::entropic_mode_coverage({0.5, 0.5, 0, 0}) == Approx(0.5));
  double s1 = 0, s2 = 0, sl = 0;
  for (int g = 0; g < n; ++g) {
    s1 += 1.0 + g % 3;
    s2 += (1.0 + g % 3) * (1.0 + g % 3);
    sl += std::log(1.0 + g % 3);
  }
  const auto ws = metrics::weight_summary(comm, lw);
  CHECK(ws.n == n);
  CHECK(ws.log_z == Approx(std::log(s1 / n)).epsilon(1e-12));
  CHECK(ws.ess_fraction == Approx(s1 * s1 / (n * s2)).epsilon(1e-12));
  CHECK(ws.elbo == Approx(sl / n).epsilon(1e-12));
}

TEST_CASE("integrated autocorrelation time of AR(1) chains", "[metrics][mpi]") {
  Comm comm;
  const double phi = 0.8, tau = (1 + phi) / (1 - phi);  // 9
  const int steps = 4000, chains_per_rank = 32 / comm.size();
  Host tr("trace", steps, chains_per_rank);
  const Rng rng(8, Stream::metrics);
  for (int c = 0; c < chains_per_rank; ++c) {
    const int gc = comm.rank() * chains_per_rank + c;
    double v = rng.normal(gc, 0, 0);
    for (int t = 0; t < steps; ++t) {
      v = phi * v + std::sqrt(1 - phi * phi) * rng.normal(gc, t + 1, 0);
      tr(t, c) = v;
    }
  }
  CHECK(metrics::integrated_autocorrelation_time(comm, tr) == Approx(tau).epsilon(0.1));
  CHECK(metrics::integrated_autocorrelation_time(comm, tr, metrics::IatWindow::sokal) == Approx(tau).epsilon(0.1));
  // White noise: τ ≈ 1.
  for (int c = 0; c < chains_per_rank; ++c)
    for (int t = 0; t < steps; ++t) tr(t, c) = rng.normal(1000 + comm.rank() * chains_per_rank + c, t, 1);
  CHECK(metrics::integrated_autocorrelation_time(comm, tr) == Approx(1.0).margin(0.1));
}
