// log q of the whitened CNF (samplers/interpolant/WhitenedCnf): the forward log q of a draw
// agrees with the backward solve at the same point, with the change of variables of the
// discrete map (finite-difference Jacobian), and q integrates to 1 on a 2-D grid.
#include <cmath>
#include <iomanip>

#include "boltzflow/core/Rng.hpp"
#include "boltzflow/samplers/interpolant/InterpolantTrainer.hpp"
#include "boltzflow/samplers/interpolant/WhitenedCnf.hpp"
#include "catch_compat.hpp"
#include "CnfDensityGrid.hpp"

using namespace boltzflow;

namespace {
std::unique_ptr<interpolant::WhitenedCnf> test_flow(int steps) {
  nn::MlpShape shape;
  shape.dim = 2;
  shape.width = 12;
  shape.depth = 2;
  shape.activation = nn::Activation::tanh;
  shape.time = nn::TimeInput::linear;
  auto field = std::make_unique<nn::VelocityMlp<double>>(shape, 17, false);
  ode::FlowSpec spec;
  spec.steps = steps;
  auto cnf = std::make_unique<interpolant::WhitenedCnf>(std::move(field), spec, interpolant::WhiteningKind::diagonal, 7);  // chunk 7: several chunks
  cnf->set_whitening({1.0, -2.0}, {2.0, 0.5});
  return cnf;
}

// The same flow after 150 interpolant-loss Adam steps on a bimodal data set (whitened
// coordinates), so the checks below also hold for a TRAINED velocity field.
void train(interpolant::WhitenedCnf& cnf) {
  const Comm self(MPI_COMM_SELF);
  const int n = 2000;
  Particles data("data", n, 2);
  auto h = Kokkos::create_mirror_view(data);
  const Rng rng(8, Stream::exact_samples);
  for (int i = 0; i < n; ++i) {
    h(i, 0) = (i % 2 ? 1.2 : -1.2) + 0.4 * rng.normal(i, 0, 0);
    h(i, 1) = 0.7 * rng.normal(i, 0, 1);
  }
  Kokkos::deep_copy(data, h);
  nn::AdamConfig adam;
  adam.lr = 5e-3;
  interpolant::MinibatchSpec batch;
  batch.batch = 256;
  batch.bins = 8;
  interpolant::InterpolantTrainer trainer(self, cnf.field(), adam, interpolant::InterpolantPath{}, batch, 2);
  double first = 0, last = 0;
  for (int k = 1; k <= 150; ++k) {
    last = trainer.step(data, n, interpolant::slice_owner(0, n), k, "test");
    if (k == 1) first = last;
  }
  REQUIRE(last < first - 0.3);  // it learned something: the field is no longer the random init
}
}  // namespace

TEST_CASE("CNF log q: forward = backward = change of variables of the discrete map", "[samplers][flow_mcmc]") {
  auto cnf = test_flow(32);
  train(*cnf);
  const int n = 20;
  Particles x("x", n, 2);
  Scalars lq_fwd("f", n), lq_bwd("b", n);
  cnf->sample(4, Stream::flow_proposal, 100, 3, x, lq_fwd);
  cnf->log_density(x, lq_bwd);
  auto hx = Kokkos::create_mirror_view_and_copy(HostSpace(), x);
  auto hf = Kokkos::create_mirror_view_and_copy(HostSpace(), lq_fwd);
  auto hb = Kokkos::create_mirror_view_and_copy(HostSpace(), lq_bwd);
  // The discrete map z -> x (RK4 3/8, 32 steps) by hand through an Integrator without ℓ.
  ode::FlowSpec plain;
  plain.steps = 32;
  plain.div = nn::DivMode::none;
  ode::Integrator<double> map(plain);
  const Rng rng(4, Stream::flow_proposal);
  double worst_fb = 0, worst_cov = 0, worst_x = 0;
  const double e = 1e-5;
  for (int i = 0; i < n; ++i) {
    const double z0 = rng.normal(100 + i, 3, 0), z1 = rng.normal(100 + i, 3, 1);
    Particles p("p", 5, 2);  // z, z ± e·e_0, z ± e·e_1
    auto hp = Kokkos::create_mirror_view(p);
    const double dz[5][2] = {{0, 0}, {e, 0}, {-e, 0}, {0, e}, {0, -e}};
    for (int r = 0; r < 5; ++r) {
      hp(r, 0) = z0 + dz[r][0];
      hp(r, 1) = z1 + dz[r][1];
    }
    Kokkos::deep_copy(p, hp);
    map.integrate(cnf->field(), p, Scalars(), Scalars());
    Kokkos::deep_copy(hp, p);
    // x = μ + σ y: compare the unwhitened image with the sampled x.
    worst_x = std::max({worst_x, std::abs(1.0 + 2.0 * hp(0, 0) - hx(i, 0)), std::abs(-2.0 + 0.5 * hp(0, 1) - hx(i, 1))});
    const double J00 = (hp(1, 0) - hp(2, 0)) / (2 * e), J10 = (hp(1, 1) - hp(2, 1)) / (2 * e);
    const double J01 = (hp(3, 0) - hp(4, 0)) / (2 * e), J11 = (hp(3, 1) - hp(4, 1)) / (2 * e);
    const double logdet = std::log(std::abs(J00 * J11 - J01 * J10)) + std::log(2.0 * 0.5);
    const double cov = -0.5 * (z0 * z0 + z1 * z1) - constants::log_2pi - logdet;
    worst_cov = std::max(worst_cov, std::abs(cov - hf(i)));
    worst_fb = std::max(worst_fb, std::abs(hf(i) - hb(i)));
  }
  INFO("max |x - map(z)| " << worst_x << ", |fwd - cov| " << worst_cov << ", |fwd - bwd| " << worst_fb);
  CHECK(worst_x < 1e-12);
  // ℓ approximates log det of the discrete map to O(h⁴); FD error ~ e².
  CHECK(worst_cov < 1e-6);
  CHECK(worst_fb < 1e-6);
}

TEST_CASE("CNF density integrates to one (2-D grid quadrature of the backward log q)", "[samplers][flow_mcmc]") {
  auto cnf = test_flow(8);
  train(*cnf);
  // Box: whitened |y| ≤ 7 after the flow's mild displacement, i.e. x ∈ μ ± 7σ (+ margin).
  const double mass = testutil::density_on_grid(*cnf, 1.0 - 16.0, 1.0 + 16.0, 90, -2.0 - 4.0, -2.0 + 4.0, 90).mass();
  INFO("mass " << std::setprecision(10) << mass);
  CHECK(std::abs(mass - 1.0) < 1e-4);  // midpoint rule on a smooth density: error ~1e-6
}
