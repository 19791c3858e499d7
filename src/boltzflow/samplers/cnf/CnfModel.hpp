#pragma once
// A chain of CNF blocks on a Gaussian base: samples with their exact log-density (forward
// push) and log q at arbitrary points (pull-back to the base, methods.md §0):
//   log q(x) = log π0(z) − Σ_blocks ℓ_block,  z = T_1⁻¹ ∘ … ∘ T_K⁻¹ (x).
#include <vector>

#include "boltzflow/samplers/cnf/GaussianBase.hpp"
#include "boltzflow/samplers/cnf/Push.hpp"

namespace boltzflow::cnf {

struct CnfModel {
  GaussianBase base;
  std::vector<CnfBlock> blocks;
  MemoryBudget budget;  // micro-batches of every push and pull-back

  // x: fresh base draws (Rng(seed, stream), global ids first_id + i) pushed through every block;
  // log_q their log-density. rec (optional, collective) streams the paths through all blocks.
  void sample(std::uint64_t seed, Stream stream, std::uint64_t first_id, const Particles& x, const Scalars& log_q,
              TrajectoryRecorder* rec = nullptr) const;
  // log q of the model at the rows of x (x is not modified); optionally the base points z.
  void log_density(const Particles& x, const Scalars& log_q, const Particles& z = {}) const;
  // Frames of a full sample()'s trajectory file: 1 + Σ steps.
  int frames() const;
};

}  // namespace boltzflow::cnf
