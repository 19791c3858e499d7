#include "boltzflow/samplers/interpolant/FlowTrainer.hpp"

#include <cmath>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/nn/DataParallel.hpp"

namespace boltzflow::interpolant {

FlowTrainer::FlowTrainer(const Comm& comm, nn::VelocityMlp<Real>& field, const nn::AdamConfig& adam,
                         MinibatchSpec batch, std::uint64_t seed)
    : comm_(comm),
      field_(field),
      adam_(field.num_params(), adam),
      batch_(batch),
      seed_(seed),
      grads_("boltzflow::interpolant::grads", field.num_params()) {}

double FlowTrainer::step(const Particles& rows, std::int64_t global_rows, const OwnerMap& owner, std::uint32_t step,
                         const std::string& context) {
  Kokkos::deep_copy(grads_, 0.0);
  const double loss = sum_loss(rows, global_rows, owner, step, true) / double(batch_.batch);
  if (!std::isfinite(loss))
    throw NumericalError(context + ": " + loss_name() + " loss is " + std::to_string(loss) + " at optimizer step " +
                         std::to_string(adam_.steps()));
  nn::average_gradients(comm_, grads_, double(batch_.batch));
  try {
    adam_.step(field_.params(), grads_);
  } catch (const NumericalError& e) {
    throw NumericalError(context + ": optimizer step " + std::to_string(adam_.steps()) + ": " + e.what());
  }
  return loss;
}

double FlowTrainer::evaluate(const Particles& rows, std::int64_t global_rows, const OwnerMap& owner,
                             std::uint32_t step) {
  return sum_loss(rows, global_rows, owner, step, false) / double(batch_.batch);
}

}  // namespace boltzflow::interpolant
