#pragma once
// Data-parallel Adam training of a whitened CNF's velocity field on distributed data rows
// (already in the flow's whitened coordinates), whatever the loss: one step = the loss SUM
// and its θ-gradient over this rank's part of the global minibatch (a subclass:
// InterpolantTrainer, LikelihoodTrainer), one allreduce (nn::average_gradients, divided by
// the global batch) and one Adam update on every rank.
#include <string>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/nn/Adam.hpp"
#include "boltzflow/nn/VelocityMlp.hpp"
#include "boltzflow/samplers/interpolant/Minibatch.hpp"

namespace boltzflow::interpolant {

class FlowTrainer {
 public:
  FlowTrainer(const Comm& comm, nn::VelocityMlp<Real>& field, const nn::AdamConfig& adam, MinibatchSpec batch,
              std::uint64_t seed);
  virtual ~FlowTrainer() = default;
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
  virtual const char* loss_name() const = 0;

  // The GLOBAL loss sum over the minibatch of `step` (collective); with_gradient: also
  // grads() += this rank's part of its θ-gradient.
  virtual double sum_loss(const Particles& rows, std::int64_t global_rows, const OwnerMap& owner, std::uint32_t step,
                          bool with_gradient) = 0;

 protected:
  const Comm& comm_;
  nn::VelocityMlp<Real>& field_;
  nn::Adam<Real> adam_;
  MinibatchSpec batch_;
  std::uint64_t seed_;
  Vector<Real> grads_;
};

}  // namespace boltzflow::interpolant
