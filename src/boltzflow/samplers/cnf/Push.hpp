#pragma once
// Moving particles through a CNF block with the EXACT divergence, forward (sampling: x and its
// log-density) or backward (density evaluation at arbitrary points, methods.md §0). Particles
// are processed in micro-batches that fit `budget`, so the jet buffers stay bounded for any N, d.
#include "boltzflow/samplers/cnf/CnfBlock.hpp"
#include "boltzflow/samplers/cnf/MicroBatch.hpp"
#include "boltzflow/samplers/cnf/TrajectoryRecorder.hpp"

namespace boltzflow::cnf {

// Rows per micro-batch of a push or pull-back (exact divergence, untaped) through `block`.
int push_rows(const CnfBlock& block, MemoryBudget budget);

// x ← T(x) through the block's steps, log_q ← log_q − ∫∇·v dt (log_q may be empty: not tracked).
// Step by step, all micro-batches per step, so that `rec` (collective, called on every rank) records
// every step of any number of rows (frame 0 = x on entry if nothing was recorded yet). Each
// particle's arithmetic is the same with or without a recorder.
void push(const CnfBlock& block, const Particles& x, const Scalars& log_q, MemoryBudget budget,
          TrajectoryRecorder* rec = nullptr);

// x ← T⁻¹(x) by integrating the block from t1 back to t0 with the same scheme and steps;
// ell_back += ∫_{t1}^{t0} ∇·v dt (≈ −ℓ of the forward push, to O(h⁴)).
void pull_back(const CnfBlock& block, const Particles& x, const Scalars& ell_back, MemoryBudget budget);

}  // namespace boltzflow::cnf
