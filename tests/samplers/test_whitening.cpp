// samplers/interpolant/Whitening: the full fit makes the data's sample covariance the identity
// (checked against moments computed here), the diagonal fit the per-coordinate variances 1;
// whiten/unwhiten are inverse (also in place); the MPI fit equals the serial fit; a CNF with a
// full whitening has a density that integrates to one.
#include <cmath>
#include <iomanip>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/samplers/interpolant/WhitenedCnf.hpp"
#include "boltzflow/samplers/interpolant/Whitening.hpp"
#include "FpTraps.hpp"
#include "catch_compat.hpp"
#include "CnfDensityGrid.hpp"

using namespace boltzflow;
using interpolant::Whitening;
using interpolant::WhiteningKind;

namespace {
// Correlated rows x = m + A z (A lower, not diagonal), global ids first .. first + n − 1.
HostParticles correlated_rows(int first, int n) {
  const double m[3] = {2.0, -1.0, 30.0}, A[3][3] = {{1.5, 0, 0}, {0.9, 0.4, 0}, {-2.0, 1.0, 0.2}};
  HostParticles h("rows", n, 3);
  const Rng rng(11, Stream::exact_samples);
  for (int i = 0; i < n; ++i) {
    double z[3];
    for (int j = 0; j < 3; ++j) z[j] = rng.normal(first + i, 0, j);
    for (int j = 0; j < 3; ++j) {
      h(i, j) = m[j];
      for (int k = 0; k <= j; ++k) h(i, j) += A[j][k] * z[k];
    }
  }
  return h;
}

// Sample mean and covariance of host rows.
void moments(const HostParticles& h, double mean[3], double cov[3][3]) {
  const int n = h.extent(0);
  for (int j = 0; j < 3; ++j) {
    mean[j] = 0;
    for (int i = 0; i < n; ++i) mean[j] += h(i, j) / n;
  }
  for (int j = 0; j < 3; ++j)
    for (int k = 0; k < 3; ++k) {
      cov[j][k] = 0;
      for (int i = 0; i < n; ++i) cov[j][k] += (h(i, j) - mean[j]) * (h(i, k) - mean[k]) / n;
    }
}
}  // namespace

TEST_CASE("whitening: full fit whitens the sample covariance, diagonal fit the variances", "[samplers][whitening]") {
  const Comm self(MPI_COMM_SELF);
  const int n = 4000;
  const auto h = correlated_rows(0, n);
  Particles x("x", n, 3), y("y", n, 3), back("back", n, 3);
  Kokkos::deep_copy(x, h);
  for (const auto kind : {WhiteningKind::full, WhiteningKind::diagonal}) {
    Whitening w(3, kind);
    w.fit(self, x, 1e-9);
    w.whiten(x, y);
    double mean[3], cov[3][3];
    moments(Kokkos::create_mirror_view_and_copy(HostSpace(), y), mean, cov);
    double worst = 0;
    for (int j = 0; j < 3; ++j) {
      worst = std::max(worst, std::abs(mean[j]));
      for (int k = 0; k < 3; ++k)
        if (kind == WhiteningKind::full || j == k) worst = std::max(worst, std::abs(cov[j][k] - (j == k ? 1.0 : 0.0)));
    }
    INFO("kind " << interpolant::whitening_name(kind) << ": worst deviation from mean 0 / identity " << worst);
    CHECK(worst < 1e-9);
    // The diagonal fit leaves the correlations: (x0, x1) has correlation 0.9·1.5/(1.5·√0.97) ≈ 0.91.
    if (kind == WhiteningKind::diagonal) CHECK(cov[0][1] > 0.85);
    // log det: ½ log det of the sample covariance (full) / Σ log σ_j (diagonal).
    double xm[3], xc[3][3];
    moments(h, xm, xc);
    const double det = xc[0][0] * (xc[1][1] * xc[2][2] - xc[1][2] * xc[2][1]) -
                       xc[0][1] * (xc[1][0] * xc[2][2] - xc[1][2] * xc[2][0]) +
                       xc[0][2] * (xc[1][0] * xc[2][1] - xc[1][1] * xc[2][0]);
    const double expect = kind == WhiteningKind::full ? 0.5 * std::log(det)
                                                      : 0.5 * std::log(xc[0][0] * xc[1][1] * xc[2][2]);
    CHECK(std::abs(w.log_det() - expect) < 1e-9);
    const auto sd = w.std();
    for (int j = 0; j < 3; ++j) CHECK(std::abs(sd[j] - std::sqrt(xc[j][j])) < 1e-9);
    // Inverse maps, out of place and in place.
    w.unwhiten(y, back);
    Kokkos::deep_copy(y, x);
    w.whiten(y, y);
    w.unwhiten(y, y);
    auto hb = Kokkos::create_mirror_view_and_copy(HostSpace(), back);
    auto hy = Kokkos::create_mirror_view_and_copy(HostSpace(), y);
    double err = 0;
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < 3; ++j) err = std::max({err, std::abs(hb(i, j) - h(i, j)), std::abs(hy(i, j) - h(i, j))});
    CHECK(err < 1e-11);
  }
}

TEST_CASE("whitening: the distributed full fit equals the serial one", "[samplers][whitening][mpi]") {
  const Comm world(MPI_COMM_WORLD), self(MPI_COMM_SELF);
  const int n = 1000;  // global rows, split unevenly
  const int lo = world.rank() * n / (world.size() + 1), hi = (world.rank() + 1 == world.size()) ? n : (world.rank() + 1) * n / (world.size() + 1);
  Particles all("all", n, 3), mine("mine", hi - lo, 3);
  Kokkos::deep_copy(all, correlated_rows(0, n));
  Kokkos::deep_copy(mine, correlated_rows(lo, hi - lo));
  Whitening serial(3, WhiteningKind::full), parallel(3, WhiteningKind::full);
  serial.fit(self, all, 1e-3);
  parallel.fit(world, mine, 1e-3);
  for (int j = 0; j < 3; ++j) CHECK(std::abs(serial.mean()[j] - parallel.mean()[j]) < 1e-12);
  for (int k = 0; k < 9; ++k) CHECK(std::abs(serial.factor()[k] - parallel.factor()[k]) < 1e-12);
}

TEST_CASE("whitening: rows spanning a line fit with the ridge; non-finite rows are refused", "[samplers][whitening]") {
  const Comm self(MPI_COMM_SELF);
  Particles x("x", 50, 2);
  auto h = Kokkos::create_mirror_view(x);
  for (int i = 0; i < 50; ++i) h(i, 0) = h(i, 1) = 0.1 * i;  // rank-1 covariance
  Kokkos::deep_copy(x, h);
  Whitening w(2, WhiteningKind::full);
  w.fit(self, x, 1e-3);
  CHECK(std::isfinite(w.log_det()));
  // L Lᵀ = the sample covariance (v in every entry) + the ridge 1e-6 on the diagonal.
  double v = 0;
  for (int i = 0; i < 50; ++i) v += (0.1 * i - 2.45) * (0.1 * i - 2.45) / 50;
  const auto& L = w.factor();
  CHECK(L[0] * L[0] == Approx(v + 1e-6).epsilon(1e-12));
  CHECK(L[0] * L[2] == Approx(v).epsilon(1e-12));
  CHECK(L[2] * L[2] + L[3] * L[3] == Approx(v + 1e-6).epsilon(1e-12));
  testutil::FpTrapsOff nan_on_purpose;
  h(7, 1) = std::nan("");
  Kokkos::deep_copy(x, h);
  CHECK_THROWS_AS(w.fit(self, x, 1e-3), NumericalError);
}

TEST_CASE("whitening: a CNF with a full whitening has unit mass (2-D grid quadrature)", "[samplers][whitening]") {
  nn::MlpShape shape;
  shape.dim = 2;
  shape.width = 12;
  shape.depth = 2;
  shape.activation = nn::Activation::tanh;
  shape.time = nn::TimeInput::linear;
  ode::FlowSpec spec;
  spec.steps = 8;
  interpolant::WhitenedCnf cnf(std::make_unique<nn::VelocityMlp<double>>(shape, 17, false), spec, WhiteningKind::full);
  cnf.whitening().set({1.0, -2.0}, {0.5, 0.0, 0.4, 0.3});  // x1 = −2 + 0.4 y0 + 0.3 y1
  const auto grid = testutil::density_on_grid(cnf, -7.0, 9.0, 120, -9.0, 5.0, 120);
  const double mass = grid.mass();
  double moved = 0;
  for (std::size_t r = 0; r < grid.log_q.size(); ++r) {
    // log N(x; μ, L Lᵀ) by hand: the flow must change it (else the test checks only the affine map).
    const double y0 = (grid.x0[r] - 1.0) / 0.5, y1 = (grid.x1[r] + 2.0 - 0.4 * y0) / 0.3;
    const double gauss = -0.5 * (y0 * y0 + y1 * y1) - std::log(2 * M_PI * 0.5 * 0.3);
    if (gauss > -4) moved = std::max(moved, std::abs(grid.log_q[r] - gauss));
  }
  INFO("mass " << std::setprecision(10) << mass << ", max |log q − log N(μ, LLᵀ)| in the bulk " << moved);
  CHECK(moved > 0.05);
  CHECK(std::abs(mass - 1.0) < 1e-3);
}
