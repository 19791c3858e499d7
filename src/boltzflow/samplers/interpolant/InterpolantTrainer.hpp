#pragma once
// Data-parallel Adam training of a velocity field with the interpolant loss on distributed
// data rows (already in the flow's whitened coordinates). One step: plan the global
// minibatch (Minibatch.hpp), per time bin gather the local rows, draw x₀ and z keyed by the
// GLOBAL batch index, accumulate the loss gradient (InterpolantLoss); the allreduce and the
// Adam update are FlowTrainer's.
#include "boltzflow/samplers/interpolant/FlowTrainer.hpp"
#include "boltzflow/samplers/interpolant/InterpolantLoss.hpp"

namespace boltzflow::interpolant {

class InterpolantTrainer : public FlowTrainer {
 public:
  InterpolantTrainer(const Comm& comm, nn::VelocityMlp<Real>& field, const nn::AdamConfig& adam, InterpolantPath path,
                     MinibatchSpec batch, std::uint64_t seed);
  const char* loss_name() const override { return "interpolant"; }
  // Public because CUDA extended lambdas may not live in private member functions.
  double sum_loss(const Particles& rows, std::int64_t global_rows, const OwnerMap& owner, std::uint32_t step,
                  bool with_gradient) override;

 private:
  InterpolantLoss<Real> loss_;
  Particles x0_, x1_, z_;
};

}  // namespace boltzflow::interpolant
