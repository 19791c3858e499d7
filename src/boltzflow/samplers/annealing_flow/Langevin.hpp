#pragma once
// Optional unadjusted Langevin correction of the training pool after a block (methods.md §1.2:
// the reference script's `Langevin = True`, off in every paper result):
//   x ← x − η ∇E_k(x) + √(2η) ξ,   ξ ~ N(0, I) from Rng(seed, af_langevin) keyed by global id.
// It moves only the training particles: their tracked log q is no longer exact afterwards,
// which is why the output samples are always fresh base draws pushed through the flow.
#include "boltzflow/samplers/cnf/BlockLoss.hpp"

namespace boltzflow::annealing_flow {

void langevin_steps(const cnf::EnergyFn& energy, const Particles& x, std::uint64_t first_id, int steps, double eta,
                    std::uint64_t seed, int block);

}  // namespace boltzflow::annealing_flow
