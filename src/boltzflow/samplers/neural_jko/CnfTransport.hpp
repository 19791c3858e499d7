#pragma once
// Adapter: a trained CNF block (samplers/cnf, shared with Annealing Flow) as a transport step
// of the nJKO model. The cnf push tracks log q (log q ← log q − ℓ); the model tracks the energy
// e = −log p, hence e ← e + ℓ; the pull-back returns the forward-orientation ℓ at the new point.
// Both directions use the block's fixed RK steps and the EXACT divergence, in micro-batches
// that fit the memory budget.
#include "boltzflow/samplers/cnf/CnfBlock.hpp"
#include "boltzflow/samplers/cnf/MicroBatch.hpp"
#include "boltzflow/samplers/neural_jko/TransportStep.hpp"

namespace boltzflow::neural_jko {

class CnfTransport : public TransportStep {
 public:
  CnfTransport(cnf::CnfBlock block, cnf::MemoryBudget budget);
  int dim() const override { return block_.dim(); }
  void push(const Particles& x, const Scalars& e) override;
  void pull(const Particles& x, const Scalars& ell) override;
  // Velocity evaluations: rows × RK steps × stages, forward and backward.
  long nfe() const override { return nfe_; }
  const cnf::CnfBlock& block() const { return block_; }

 private:
  cnf::CnfBlock block_;
  cnf::MemoryBudget budget_;
  long nfe_ = 0;
};

}  // namespace boltzflow::neural_jko
