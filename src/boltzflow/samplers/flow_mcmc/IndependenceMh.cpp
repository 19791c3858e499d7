#include "boltzflow/samplers/flow_mcmc/IndependenceMh.hpp"

#include "boltzflow/core/Math.hpp"
#include "boltzflow/core/Rng.hpp"

namespace boltzflow::flow_mcmc {

IndependenceWorkspace::IndependenceWorkspace(std::size_t n, std::size_t d)
    : proposal("flow_proposal", n, d), log_q("flow_proposal_log_q", n), accepted("flow_accepted", n) {}

std::int64_t independence_mh_step(const Target& target, IndependenceProposal& q, mcmc::ChainState& s,
                                  const Scalars& log_q, IndependenceWorkspace& w, std::uint64_t seed,
                                  std::uint64_t first_id, std::uint32_t step) {
  const int d = static_cast<int>(s.x.extent(1));
  const auto n = s.size();
  q.sample(seed, first_id, step, w.proposal.x, w.log_q);
  target.gradient(w.proposal.x, w.proposal.U, w.proposal.grad);
  const auto x = s.x, g = s.grad, y = w.proposal.x, gy = w.proposal.grad;
  const auto U = s.U, lq = log_q, Uy = w.proposal.U, lqy = w.log_q;
  const auto acc = w.accepted;
  const Rng coin(seed, Stream::flow_accept);
  std::int64_t count = 0;
  Kokkos::parallel_reduce(
      "boltzflow::flow_mcmc::independence_mh", Kokkos::RangePolicy<ExecSpace>(0, n),
      KOKKOS_LAMBDA(const int i, std::int64_t& c) {
        const double log_alpha = (-Uy(i) - lqy(i)) - (-U(i) - lq(i));
        // A non-finite proposal (x', U, grad U or log q) is rejected: accepted, it would stall
        // the chain (the next MALA move from a NaN gradient) or poison the output. A NaN log α
        // (a NaN log q at the current state) rejects too; isnan is tested before the ordered
        // comparison, which would raise FE_INVALID on NaN.
        bool finite = kmath::isfinite(Uy(i)) && kmath::isfinite(lqy(i)) && !kmath::isnan(log_alpha);
        for (int j = 0; j < d; ++j) finite = finite && kmath::isfinite(y(i, j)) && kmath::isfinite(gy(i, j));
        const bool ok = finite && kmath::log(coin.uniform(first_id + i, step, 0)) < log_alpha;
        acc(i) = ok ? 1 : 0;
        if (ok) {
          for (int j = 0; j < d; ++j) {
            x(i, j) = y(i, j);
            g(i, j) = gy(i, j);
          }
          U(i) = Uy(i);
          lq(i) = lqy(i);
          ++c;
        }
      },
      count);
  return count;
}

}  // namespace boltzflow::flow_mcmc
