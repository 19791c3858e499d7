#pragma once
// One independence Metropolis–Hastings move of every chain (methods.md §4.1): propose
// x' ~ q independently of x, accept with log α = λ(x') − λ(x), λ = −U − log q, i.e.
// min{1, ρ̃(x')q(x) / (ρ̃(x)q(x'))}. The chain carries (x, U, ∇U) for the local kernel plus
// log q(x) of the CURRENT proposal density (the caller refreshes it after local moves or a
// change of q). Coins from Stream::flow_accept keyed by (global chain id, step). Proposals with
// a non-finite x', U(x'), grad U(x') or log q(x') are always rejected.
#include "boltzflow/samplers/flow_mcmc/IndependenceProposal.hpp"
#include "boltzflow/samplers/mcmc/LocalKernels.hpp"

namespace boltzflow::flow_mcmc {

struct IndependenceWorkspace {
  mcmc::ChainState proposal;
  Scalars log_q;
  Vector<int> accepted;
  IndependenceWorkspace() = default;
  IndependenceWorkspace(std::size_t n, std::size_t d);
};

// Returns the number of accepted moves on this rank; w.accepted(i) says which.
std::int64_t independence_mh_step(const Target& target, IndependenceProposal& q, mcmc::ChainState& s,
                                  const Scalars& log_q, IndependenceWorkspace& w, std::uint64_t seed,
                                  std::uint64_t first_id, std::uint32_t step);

}  // namespace boltzflow::flow_mcmc
