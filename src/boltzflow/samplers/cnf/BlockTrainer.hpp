#pragma once
// Data-parallel training of one CNF block on a distributed particle pool: per iteration a
// global minibatch (MinibatchSampler), the block objective and its discrete-adjoint
// gradient (BlockLoss), ONE gradient allreduce divided by the global batch
// (nn::average_gradients), and an Adam step with global-norm clipping. All ranks take the
// identical step; the per-iteration log is MPI-global.
#include <functional>
#include <string>
#include <vector>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Progress.hpp"
#include "boltzflow/nn/Adam.hpp"
#include "boltzflow/samplers/Sampler.hpp"
#include "boltzflow/samplers/cnf/BlockLoss.hpp"

namespace boltzflow::cnf {

struct BlockTrainConfig {
  long iterations = 1000;
  std::int64_t batch = 1000;  // global batch size (capped at the pool size)
  nn::AdamConfig adam;
  long print_every = 100;     // progress line every k iterations (0: last only)
  MemoryBudget budget;        // micro-batches of the loss evaluation
  std::string name = "cnf";   // progress phase prefix and error messages
  // Called collectively before every iteration (e.g. a stop-signal poll that writes a checkpoint
  // and throws StopRequested); empty: nothing.
  std::function<void(long iteration)> poll;
};

// Per-iteration global means over the minibatch (loss = energy − divergence + γ·kinetic −
// offset, where `offset` is the optional per-particle constant, e.g. nJKO's e(x)) and the
// gradient 2-norm before clipping.
struct TrainLog {
  std::vector<double> loss, energy, divergence, kinetic, grad_norm;
  double seconds = 0;      // wall time of the training loop
  double cpu_seconds = 0;  // CPU time of this process in the loop (robust on a shared machine)
  long nfe = 0;        // velocity evaluations on this rank (forward + adjoint)
  double seconds_per_iteration() const { return loss.empty() ? 0.0 : seconds / double(loss.size()); }
};

// Trains block.velocity's parameters in place on the pool (this rank's rows `pool` of the
// decomposition `dec`). offset: empty or one value per local pool row. block_index keys the
// minibatch permutations and probes. NaN/Inf loss or gradient: NumericalError naming the block
// and the iteration (agreed on every rank: both are global quantities).
TrainLog train_block(const Comm& comm, const CnfBlock& block, const Decomposition& dec, const Particles& pool,
                     const Scalars& offset, const BlockObjective& objective, const BlockTrainConfig& config,
                     std::uint64_t seed, int block_index, Progress& progress);

}  // namespace boltzflow::cnf
