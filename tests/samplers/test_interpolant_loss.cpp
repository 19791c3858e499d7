// The stochastic-interpolant loss (samplers/interpolant): value against a host evaluation of
// the formula, θ-gradient against central finite differences on EVERY parameter, for both
// paths and all noise schedules; and the minibatch plan's rank-count independence.
#include <cmath>
#include <set>

#include "boltzflow/core/Rng.hpp"
#include "boltzflow/nn/VelocityMlp.hpp"
#include "boltzflow/samplers/interpolant/InterpolantLoss.hpp"
#include "boltzflow/samplers/interpolant/Minibatch.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;
using namespace boltzflow::interpolant;

namespace {
nn::VelocityMlp<double> small_field(int d) {
  nn::MlpShape shape;
  shape.dim = d;
  shape.width = 7;
  shape.depth = 2;
  shape.activation = nn::Activation::tanh;
  shape.time = nn::TimeInput::linear;
  return nn::VelocityMlp<double>(shape, 5, false);
}

Particles random_rows(int n, int d, std::uint32_t step, double scale, double shift) {
  Particles x("x", n, d);
  auto h = Kokkos::create_mirror_view(x);
  const Rng rng(99, Stream::metrics);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j) h(i, j) = shift + scale * rng.normal(i, step, j);
  Kokkos::deep_copy(x, h);
  return x;
}

// Σ_b ‖v‖² − 2u·v computed on the host from the path functions (antithetic average with noise).
double host_loss(const nn::VelocityMlp<double>& field, const InterpolantPath& p, double t, const Particles& x0,
                 const Particles& x1, const Particles& z) {
  const int n = x0.extent(0), d = x0.extent(1);
  auto h0 = Kokkos::create_mirror_view_and_copy(HostSpace(), x0);
  auto h1 = Kokkos::create_mirror_view_and_copy(HostSpace(), x1);
  auto hz = Kokkos::create_mirror_view_and_copy(HostSpace(), z);
  double total = 0;
  for (double s : {1.0, -1.0}) {
    if (!p.noisy() && s < 0) break;
    Particles xt("xt", n, d), v("v", n, d);
    auto hxt = Kokkos::create_mirror_view(xt);
    std::vector<double> u(n * d);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < d; ++j) {
        const double zz = p.noisy() ? s * hz(i, j) : 0.0;
        hxt(i, j) = p.alpha(t) * h0(i, j) + p.beta(t) * h1(i, j) + p.gamma(t) * zz;
        u[i * d + j] = p.dalpha(t) * h0(i, j) + p.dbeta(t) * h1(i, j) + p.dgamma(t) * zz;
      }
    Kokkos::deep_copy(xt, hxt);
    field.forward(xt, t, nn::DivMode::none, {}, v, {});
    auto hv = Kokkos::create_mirror_view_and_copy(HostSpace(), v);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < d; ++j) total += (p.noisy() ? 0.5 : 1.0) * hv(i, j) * (hv(i, j) - 2 * u[i * d + j]);
  }
  return total;
}
}  // namespace

TEST_CASE("interpolant loss: value matches the formula, gradient matches finite differences for all parameters",
          "[samplers][interpolant]") {
  const int d = 3, n = 9;
  auto field = small_field(d);
  const auto x0 = random_rows(n, d, 1, 1.0, 0.0), x1 = random_rows(n, d, 2, 0.7, 1.5), z = random_rows(n, d, 3, 1.0, 0.0);
  const auto P = field.num_params();
  for (auto kind : {PathKind::linear, PathKind::trigonometric})
    for (auto noise : {NoiseKind::none, NoiseKind::sqrt, NoiseKind::quadratic, NoiseKind::sin2}) {
      const InterpolantPath path{kind, noise};
      InterpolantLoss<double> loss(path);
      const double t = 0.37;
      const double value = loss.value(field, t, x0, x1, z);
      CHECK(value == Approx(host_loss(field, path, t, x0, x1, z)).epsilon(1e-12));

      Vector<double> g("g", P);
      Kokkos::deep_copy(g, 0.25);  // accumulate must ADD to what is there
      const double v2 = loss.accumulate(field, t, x0, x1, z, g);
      CHECK(v2 == Approx(value).epsilon(1e-14));
      auto hg = Kokkos::create_mirror_view_and_copy(HostSpace(), g);
      auto params = field.params();
      auto hp = Kokkos::create_mirror_view_and_copy(HostSpace(), params);
      const double eps = 1e-6;
      double worst = 0;
      for (std::size_t k = 0; k < P; ++k) {
        const double keep = hp(k);
        hp(k) = keep + eps;
        Kokkos::deep_copy(params, hp);
        const double lp = loss.value(field, t, x0, x1, z);
        hp(k) = keep - eps;
        Kokkos::deep_copy(params, hp);
        const double lm = loss.value(field, t, x0, x1, z);
        hp(k) = keep;
        Kokkos::deep_copy(params, hp);
        const double fd = (lp - lm) / (2 * eps);
        worst = std::max(worst, std::abs(hg(k) - 0.25 - fd) / (1.0 + std::abs(fd)));
      }
      INFO("path " << int(kind) << " noise " << int(noise) << " worst relative FD error " << worst);
      CHECK(worst < 1e-7);
    }
}

TEST_CASE("interpolant loss is minimised by the conditional-mean velocity: with u = 0 every field scores ≥ 0 = the zero field",
          "[samplers][interpolant]") {
  // For x₀ = x₁ (a degenerate coupling) the linear path has u = 0, so ANY v gives loss Σ‖v‖² ≥ 0
  // = the loss of v ≡ 0: the loss must be non-negative here for a random network.
  const int d = 2, n = 16;
  auto field = small_field(d);
  const auto x = random_rows(n, d, 4, 1.0, 0.0);
  InterpolantLoss<double> loss(InterpolantPath{PathKind::linear, NoiseKind::none});
  for (double t : {0.1, 0.5, 0.9}) CHECK(loss.value(field, t, x, x, Particles()) > 0);
}

TEST_CASE("interpolant minibatch: owners split the same global batch, times are stratified", "[samplers][interpolant]") {
  MinibatchSpec spec;
  spec.batch = 500;
  spec.bins = 7;
  spec.t_min = 0.1;
  spec.t_max = 0.9;
  const std::int64_t N = 1234;
  const auto whole = plan_minibatch(spec, N, slice_owner(0, N), 3, 17);
  std::set<std::int64_t> seen;
  std::size_t parts = 0;
  for (std::int64_t off : {0, 400, 900}) {  // three "ranks" with uneven slices
    const std::int64_t len = off == 0 ? 400 : off == 400 ? 500 : N - 900;
    const auto part = plan_minibatch(spec, N, slice_owner(off, len), 3, 17);
    for (int k = 0; k < spec.bins; ++k) {
      CHECK(part[k].t == whole[k].t);
      for (std::size_t b = 0; b < part[k].element.size(); ++b) {
        seen.insert(part[k].element[b]);
        CHECK(part[k].row[b] + off >= off);
        CHECK(part[k].row[b] < len);
      }
      parts += part[k].element.size();
    }
  }
  CHECK(parts == std::size_t(spec.batch));
  CHECK(seen.size() == std::size_t(spec.batch));
  for (int k = 0; k < spec.bins; ++k) {
    const double lo = spec.t_min + (spec.t_max - spec.t_min) * k / spec.bins;
    CHECK(whole[k].t >= lo);
    CHECK(whole[k].t < lo + (spec.t_max - spec.t_min) / spec.bins);
  }
  const auto other = plan_minibatch(spec, N, slice_owner(0, N), 3, 18);
  CHECK(other[0].t != whole[0].t);
}
