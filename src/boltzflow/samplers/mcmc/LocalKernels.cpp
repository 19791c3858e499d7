#include "boltzflow/samplers/mcmc/LocalKernels.hpp"

#include "boltzflow/core/Math.hpp"
#include "boltzflow/core/Rng.hpp"

#include <cmath>

namespace boltzflow::mcmc {

ChainState::ChainState(const std::string& label, std::size_t n, std::size_t d)
    : x(label + "_x", n, d), grad(label + "_grad", n, d), U(label + "_U", n) {}

Workspace::Workspace(std::size_t n, std::size_t d)
    : proposal("proposal", n, d), momentum("momentum", n, d), accepted("accepted", n) {}

namespace {
// Accept row i of the proposal where accepted(i) == 1 (copy x, U, ∇U).
std::int64_t commit_accepted(ChainState& s, const ChainState& p, const Vector<int>& accepted) {
  const auto x = s.x, g = s.grad, px = p.x, pg = p.grad;
  const auto U = s.U;
  const auto pU = p.U;
  const auto acc = accepted;
  const int d = static_cast<int>(x.extent(1));
  std::int64_t count = 0;
  Kokkos::parallel_reduce(
      "boltzflow::mcmc::commit", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)),
      KOKKOS_LAMBDA(const int i, std::int64_t& c) {
        if (acc(i)) {
          for (int j = 0; j < d; ++j) {
            x(i, j) = px(i, j);
            g(i, j) = pg(i, j);
          }
          U(i) = pU(i);
          ++c;
        }
      },
      count);
  return count;
}
}  // namespace

std::int64_t mala_step(const Target& target, ChainState& s, Workspace& w, double h, std::uint64_t seed,
                       std::uint64_t first_id, std::uint32_t step) {
  const int d = static_cast<int>(s.x.extent(1));
  const auto n = s.size();
  const auto x = s.x, g = s.grad, y = w.proposal.x;
  const auto U = s.U;
  const Rng noise(seed, Stream::mcmc_proposal), coin(seed, Stream::mcmc_accept);
  const double sd = std::sqrt(2.0 * h);
  Kokkos::parallel_for(
      "boltzflow::mcmc::mala_propose", Kokkos::RangePolicy<ExecSpace>(0, n), KOKKOS_LAMBDA(const int i) {
        for (int j = 0; j < d; ++j) y(i, j) = x(i, j) - h * g(i, j) + sd * noise.normal(first_id + i, step, j);
      });
  target.gradient(y, w.proposal.U, w.proposal.grad);
  const auto Uy = w.proposal.U;
  const auto gy = w.proposal.grad;
  const auto acc = w.accepted;
  Kokkos::parallel_for(
      "boltzflow::mcmc::mala_accept", Kokkos::RangePolicy<ExecSpace>(0, n), KOKKOS_LAMBDA(const int i) {
        // log q(x|y) − log q(y|x) for the Langevin proposal densities.
        double fwd = 0, bwd = 0;
        for (int j = 0; j < d; ++j) {
          const double a = y(i, j) - x(i, j) + h * g(i, j);
          const double b = x(i, j) - y(i, j) + h * gy(i, j);
          fwd += a * a;
          bwd += b * b;
        }
        const double log_alpha = U(i) - Uy(i) - (bwd - fwd) / (4.0 * h);
        // Non-finite U(y) or a NaN log α (a NaN gradient at y) rejects; isnan is tested before the
        // ordered comparison, which would raise FE_INVALID on NaN.
        acc(i) = (kmath::isfinite(Uy(i)) && !kmath::isnan(log_alpha) &&
                  kmath::log(coin.uniform(first_id + i, step, 0)) < log_alpha)
                     ? 1
                     : 0;
      });
  return commit_accepted(s, w.proposal, w.accepted);
}

std::int64_t hmc_step(const Target& target, ChainState& s, Workspace& w, double eps, double jitter, int leapfrog,
                      std::uint64_t seed, std::uint64_t first_id, std::uint32_t step) {
  const int d = static_cast<int>(s.x.extent(1));
  const auto n = s.size();
  const auto x = s.x, g = s.grad, q = w.proposal.x, gq = w.proposal.grad, p = w.momentum;
  const auto U = s.U;
  const auto Uq = w.proposal.U;
  const Rng noise(seed, Stream::mcmc_proposal), coin(seed, Stream::mcmc_accept);
  Kokkos::Profiling::pushRegion("boltzflow::mcmc::hmc");
  // p ~ N(0, I); half kick; start from the current state.
  Kokkos::parallel_for(
      "boltzflow::mcmc::hmc_init", Kokkos::RangePolicy<ExecSpace>(0, n), KOKKOS_LAMBDA(const int i) {
        for (int j = 0; j < d; ++j) {
          q(i, j) = x(i, j);
          gq(i, j) = g(i, j);
          p(i, j) = noise.normal(first_id + i, step, j);
        }
      });
  Vector<Real> kinetic0("kinetic0", n);
  Kokkos::parallel_for(
      "boltzflow::mcmc::hmc_kinetic0", Kokkos::RangePolicy<ExecSpace>(0, n), KOKKOS_LAMBDA(const int i) {
        double k = 0;
        for (int j = 0; j < d; ++j) k += p(i, j) * p(i, j);
        kinetic0(i) = 0.5 * k;
      });
  // Chain i's leapfrog step for this move: eps (1 + jitter (2u − 1)), u = uniform 1 of the
  // accept stream (0 is the accept coin). The jitter breaks the resonances of a fixed trajectory
  // length, which make the acceptance jump non-monotonically with eps on near-Gaussian targets.
  Vector<Real> eps_i("hmc_eps", n);
  Kokkos::parallel_for(
      "boltzflow::mcmc::hmc_eps", Kokkos::RangePolicy<ExecSpace>(0, n), KOKKOS_LAMBDA(const int i) {
        eps_i(i) = eps * (1.0 + jitter * (2.0 * coin.uniform(first_id + i, step, 1) - 1.0));
      });
  for (int l = 0; l < leapfrog; ++l) {
    Kokkos::parallel_for(
        "boltzflow::mcmc::hmc_drift", Kokkos::RangePolicy<ExecSpace>(0, n), KOKKOS_LAMBDA(const int i) {
          const double e = eps_i(i);
          for (int j = 0; j < d; ++j) {
            p(i, j) -= 0.5 * e * gq(i, j);
            q(i, j) += e * p(i, j);
          }
        });
    target.gradient(q, Uq, gq);
    Kokkos::parallel_for(
        "boltzflow::mcmc::hmc_kick", Kokkos::RangePolicy<ExecSpace>(0, n), KOKKOS_LAMBDA(const int i) {
          const double e = eps_i(i);
          for (int j = 0; j < d; ++j) p(i, j) -= 0.5 * e * gq(i, j);
        });
  }
  const auto acc = w.accepted;
  Kokkos::parallel_for(
      "boltzflow::mcmc::hmc_accept", Kokkos::RangePolicy<ExecSpace>(0, n), KOKKOS_LAMBDA(const int i) {
        double k = 0;
        for (int j = 0; j < d; ++j) k += p(i, j) * p(i, j);
        const double log_alpha = U(i) + kinetic0(i) - Uq(i) - 0.5 * k;
        acc(i) = (kmath::isfinite(Uq(i)) && !kmath::isnan(log_alpha) &&
                  kmath::log(coin.uniform(first_id + i, step, 0)) < log_alpha)
                     ? 1
                     : 0;
      });
  const auto c = commit_accepted(s, w.proposal, w.accepted);
  Kokkos::Profiling::popRegion();
  return c;
}

}  // namespace boltzflow::mcmc
