#pragma once
// Metropolis-adjusted local moves on a batch of chains (MALA and HMC). The chain state is
// (x, U(x), ∇U(x)), kept consistent across calls so each move costs one gradient per
// proposal (MALA) or per leapfrog step (HMC). Draws come from counter-based streams keyed by
// (seed, global chain id, step), so a run is the same on any number of ranks.
#include <cstdint>

#include "boltzflow/core/Types.hpp"
#include "boltzflow/targets/Target.hpp"

namespace boltzflow::mcmc {

struct ChainState {
  Particles x, grad;
  Scalars U;
  ChainState() = default;
  ChainState(const std::string& label, std::size_t n, std::size_t d);
  std::size_t size() const { return x.extent(0); }
};

// Reusable proposal buffers (allocated once per sampler).
struct Workspace {
  ChainState proposal;
  Particles momentum;
  Vector<int> accepted;
  Workspace() = default;
  Workspace(std::size_t n, std::size_t d);
};

// One MALA move of every chain with step size h: y = x − h∇U(x) + √(2h)ξ, MH-corrected.
// Returns the number of accepted moves on this rank; `accepted(i)` says which.
std::int64_t mala_step(const Target& target, ChainState& s, Workspace& w, double h, std::uint64_t seed,
                       std::uint64_t first_id, std::uint32_t step);

// One HMC move: momentum p ~ N(0, I), `leapfrog` steps of size eps (1 + jitter U[−1, 1]) (per chain
// and move), MH on H = U + ½|p|².
std::int64_t hmc_step(const Target& target, ChainState& s, Workspace& w, double eps, double jitter, int leapfrog,
                      std::uint64_t seed, std::uint64_t first_id, std::uint32_t step);

}  // namespace boltzflow::mcmc
