#pragma once
// Data-parallel maximum-likelihood training of a whitened CNF on distributed data rows (in its
// whitened coordinates): each step draws the same global minibatch as the interpolant trainer
// (Minibatch.hpp; its time bins are only a partition here, no time is used), gathers this
// rank's rows and sums −log q with its exact gradient (LikelihoodLoss: an ODE solve 1 → 0 and
// its discrete adjoint per step, so a step costs far more than an interpolant step).
#include "boltzflow/samplers/interpolant/FlowTrainer.hpp"
#include "boltzflow/samplers/interpolant/LikelihoodLoss.hpp"

namespace boltzflow::interpolant {

class LikelihoodTrainer : public FlowTrainer {
 public:
  LikelihoodTrainer(const Comm& comm, WhitenedCnf& cnf, const nn::AdamConfig& adam, MinibatchSpec batch,
                    std::uint64_t seed);
  const char* loss_name() const override { return "likelihood"; }
  // Public because CUDA extended lambdas may not live in private member functions.
  double sum_loss(const Particles& rows, std::int64_t global_rows, const OwnerMap& owner, std::uint32_t step,
                  bool with_gradient) override;

 private:
  LikelihoodLoss loss_;
  Particles y_;
};

}  // namespace boltzflow::interpolant
