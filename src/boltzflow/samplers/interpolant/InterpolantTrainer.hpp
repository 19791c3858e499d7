#pragma once
// Data-parallel Adam training of a velocity field with the interpolant loss on distributed
// data rows (already in the flow's whitened coordinates). One step: plan the global
// minibatch (Minibatch.hpp), per time bin gather the local rows, draw x₀ and z keyed by the
// GLOBAL batch index, accumulate the loss gradient (InterpolantLoss), then one allreduce
// (nn::average_gradients, divided by the global batch) and one Adam update on every rank.
#include "boltzflow/core/Comm.hpp"
#include "boltzflow/nn/Adam.hpp"
#include "boltzflow/nn/VelocityMlp.hpp"
#include "boltzflow/samplers/interpolant/InterpolantLoss.hpp"
#include "boltzflow/samplers/interpolant/Minibatch.hpp"

namespace boltzflow::interpolant {

class InterpolantTrainer {
 public:
  InterpolantTrainer(const Comm& comm, nn::VelocityMlp<Real>& field, const nn::AdamConfig& adam, InterpolantPath path,
                     MinibatchSpec batch, std::uint64_t seed);
  // One optimizer step on `rows` (local whitened data; global_rows in all, owner maps global
  // rows to local ones). `step` keys the random draws (use a counter that never repeats).
  // Returns the global mean loss of the minibatch; NumericalError (naming `context` and the
  // step) on a non-finite loss or gradient.
  double step(const Particles& rows, std::int64_t global_rows, const OwnerMap& owner, std::uint32_t step,
              const std::string& context);
  // Global mean loss on a minibatch without updating (same draws as step() would use).
  double evaluate(const Particles& rows, std::int64_t global_rows, const OwnerMap& owner, std::uint32_t step);
  long optimizer_steps() const { return adam_.steps(); }
  // The optimizer (moments and step count), for checkpoints (FlowCheckpoint.hpp).
  nn::Adam<Real>& optimizer() { return adam_; }
  const nn::Adam<Real>& optimizer() const { return adam_; }
  const MinibatchSpec& batch() const { return batch_; }

  // The work of step()/evaluate(); public because CUDA extended lambdas may not live in private
  // member functions.
  double sum_over_bins(const Particles& rows, std::int64_t global_rows, const OwnerMap& owner, std::uint32_t step,
                       bool with_gradient);

 private:
  const Comm& comm_;
  nn::VelocityMlp<Real>& field_;
  nn::Adam<Real> adam_;
  InterpolantLoss<Real> loss_;
  MinibatchSpec batch_;
  std::uint64_t seed_;
  Vector<Real> grads_;
  Particles x0_, x1_, z_;
};

}  // namespace boltzflow::interpolant
