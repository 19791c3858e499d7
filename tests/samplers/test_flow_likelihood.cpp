// The maximum-likelihood loss of the whitened CNF (samplers/interpolant/LikelihoodLoss,
// LikelihoodTrainer): its value is −Σ log q of WhitenedCnf::log_density (and the closed-form
// Gaussian for the zero field), its θ-gradient (the integrator's discrete adjoint) matches
// central finite differences on EVERY parameter, and the data-parallel trainer gives the same
// minibatch loss on any number of ranks and lowers the NLL of correlated data.
#include <cmath>

#include "boltzflow/core/Math.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/samplers/Sampler.hpp"
#include "boltzflow/samplers/interpolant/LikelihoodTrainer.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;
using namespace boltzflow::interpolant;

namespace {
std::unique_ptr<WhitenedCnf> small_flow(int d, ode::Scheme scheme, int steps) {
  nn::MlpShape shape;
  shape.dim = d;
  shape.width = 6;
  shape.depth = 2;
  shape.activation = nn::Activation::tanh;
  shape.time = nn::TimeInput::linear;
  ode::FlowSpec spec;
  spec.scheme = scheme;
  spec.steps = steps;
  return std::make_unique<WhitenedCnf>(std::make_unique<nn::VelocityMlp<double>>(shape, 23, false), spec);
}

// Row i: (shift + scale·ξ_i0, …) with a correlation ρ between coordinates 0 and 1.
Particles data_rows(int n, int d, double rho, std::uint32_t step) {
  Particles x("x", n, d);
  auto h = Kokkos::create_mirror_view(x);
  const Rng rng(31, Stream::metrics);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < d; ++j) h(i, j) = 0.5 + 1.5 * rng.normal(i, step, j);
    if (d > 1) h(i, 1) = rho * h(i, 0) + std::sqrt(1 - rho * rho) * h(i, 1);
  }
  Kokkos::deep_copy(x, h);
  return x;
}

double host_sum(const Scalars& v) {
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), v);
  double s = 0;
  for (std::size_t i = 0; i < h.extent(0); ++i) s += h(i);
  return s;
}
}  // namespace

TEST_CASE("likelihood loss: value = -sum log q of the density solve, gradient = finite differences on all parameters",
          "[samplers][interpolant][likelihood]") {
  const int d = 3, n = 7;
  for (auto [scheme, steps] : {std::pair{ode::Scheme::euler, 5}, std::pair{ode::Scheme::rk4_38, 3}}) {
    auto cnf = small_flow(d, scheme, steps);
    cnf->set_whitening({0.3, -1.0, 2.0}, {1.7, 0.6, 1.1});
    const auto x = data_rows(n, d, 0.4, 1);
    Particles y("y", n, d);
    cnf->whiten(x, y);
    LikelihoodLoss loss(*cnf);
    Scalars lq("lq", n);
    cnf->log_density(x, lq);
    const double value = loss.sum(y, n, Vector<double>());
    CHECK(value == Approx(-host_sum(lq)).epsilon(1e-13));

    const auto P = cnf->field().num_params();
    Vector<double> g("g", P);
    Kokkos::deep_copy(g, 0.5);  // sum() must ADD to what is there
    CHECK(loss.sum(y, n, g) == Approx(value).epsilon(1e-14));
    auto hg = Kokkos::create_mirror_view_and_copy(HostSpace(), g);
    auto params = cnf->field().params();
    auto hp = Kokkos::create_mirror_view_and_copy(HostSpace(), params);
    const double eps = 1e-6;
    double worst = 0, largest = 0;
    for (std::size_t k = 0; k < P; ++k) {
      const double keep = hp(k);
      hp(k) = keep + eps;
      Kokkos::deep_copy(params, hp);
      const double lp = loss.sum(y, n, Vector<double>());
      hp(k) = keep - eps;
      Kokkos::deep_copy(params, hp);
      const double lm = loss.sum(y, n, Vector<double>());
      hp(k) = keep;
      Kokkos::deep_copy(params, hp);
      const double fd = (lp - lm) / (2 * eps);
      worst = std::max(worst, std::abs(hg(k) - 0.5 - fd) / (1.0 + std::abs(fd)));
      largest = std::max(largest, std::abs(fd));
    }
    INFO("scheme " << int(scheme) << ": worst relative FD error " << worst << ", largest |dL/dθ| " << largest);
    CHECK(largest > 1e-2);  // the gradient is not trivially zero
    CHECK(worst < 1e-7);
  }
}

TEST_CASE("likelihood loss of the zero field is the whitened Gaussian's NLL", "[samplers][interpolant][likelihood]") {
  const int d = 2, n = 5;
  auto cnf = small_flow(d, ode::Scheme::rk4_classic, 4);
  Kokkos::deep_copy(cnf->field().params(), 0.0);  // v ≡ 0: z = y, ℓ = 0
  const std::vector<double> mu{1.0, -3.0}, sd{2.0, 0.25};
  cnf->set_whitening(mu, sd);
  const auto x = data_rows(n, d, 0.0, 2);
  auto hx = Kokkos::create_mirror_view_and_copy(HostSpace(), x);
  double expect = 0;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j) {
      const double u = (hx(i, j) - mu[j]) / sd[j];
      expect += 0.5 * u * u + 0.5 * constants::log_2pi + std::log(sd[j]);
    }
  Particles y("y", n, d);
  cnf->whiten(x, y);
  LikelihoodLoss loss(*cnf);
  CHECK(loss.sum(y, n, Vector<double>()) == Approx(expect).epsilon(1e-13));
}

TEST_CASE("likelihood trainer: the minibatch loss ignores the rank count, training lowers the NLL",
          "[samplers][interpolant][likelihood][mpi]") {
  Comm comm;
  const Comm self(MPI_COMM_SELF);
  const int d = 2;
  const std::int64_t N = 301;
  const auto all = data_rows(N, d, 0.9, 3);  // strongly correlated: diagonal whitening leaves work for the flow
  const auto dec = Decomposition::even(comm, N);
  const Particles mine(Kokkos::subview(all, Kokkos::make_pair(dec.offset, dec.offset + dec.local), Kokkos::ALL()));
  auto cnf = small_flow(d, ode::Scheme::rk4_38, 4), ref = small_flow(d, ode::Scheme::rk4_38, 4);
  cnf->fit_whitening(comm, mine, 1e-3);
  ref->fit_whitening(self, all, 1e-3);
  for (int j = 0; j < d; ++j) CHECK(cnf->std()[j] == Approx(ref->std()[j]).epsilon(1e-13));
  Particles ymine("ymine", dec.local, d), yall("yall", N, d);
  cnf->whiten(mine, ymine);
  ref->whiten(all, yall);
  nn::AdamConfig adam;
  adam.lr = 1e-2;
  MinibatchSpec batch;
  batch.batch = 128;
  batch.bins = 4;
  LikelihoodTrainer t(comm, *cnf, adam, batch, 5), tref(self, *ref, adam, batch, 5);
  const auto owner = slice_owner(dec.offset, dec.local), owner_all = slice_owner(0, N);
  CHECK(t.evaluate(ymine, N, owner, 7) == Approx(tref.evaluate(yall, N, owner_all, 7)).epsilon(1e-12));
  const double before = t.evaluate(ymine, N, owner, 1000);
  double last_step = 0;
  for (std::uint32_t k = 1; k <= 80; ++k) last_step = t.step(ymine, N, owner, k, "test");
  for (std::uint32_t k = 1; k <= 80; ++k) tref.step(yall, N, owner_all, k, "test");
  const double after = t.evaluate(ymine, N, owner, 1000);
  INFO("NLL before " << before << ", after " << after << ", last step " << last_step);
  // The whitened data has correlation 0.9: the best Gaussian gains −½log(1 − 0.81) ≈ 0.83 nats.
  CHECK(after < before - 0.3);
  CHECK(after == Approx(tref.evaluate(yall, N, owner_all, 1000)).epsilon(1e-9));  // same updates at any rank count
}
