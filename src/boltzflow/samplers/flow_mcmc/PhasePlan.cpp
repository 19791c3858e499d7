#include "boltzflow/samplers/flow_mcmc/PhasePlan.hpp"

#include <algorithm>

#include "boltzflow/core/Error.hpp"

namespace boltzflow::flow_mcmc {

long PhasePlan::records(long done) const {
  return std::max(0L, done - burnin - training) / record_every;
}

void PhasePlan::save(io::H5Writer& w, const std::string& group) const {
  w.attribute(group, "burnin", std::int64_t(burnin));
  w.attribute(group, "training_iterations", std::int64_t(training));
  w.attribute(group, "production_iterations", std::int64_t(production));
  w.attribute(group, "record_every", std::int64_t(record_every));
}

PhasePlan PhasePlan::load(const io::H5Reader& r, const std::string& group) {
  PhasePlan p;
  p.burnin = static_cast<long>(r.attribute_int64(group, "burnin"));
  p.training = static_cast<long>(r.attribute_int64(group, "training_iterations"));
  p.production = static_cast<long>(r.attribute_int64(group, "production_iterations"));
  p.record_every = static_cast<long>(r.attribute_int64(group, "record_every"));
  return p;
}

void PhasePlan::check_continued_by(const PhasePlan& deck, long done) const {
  const auto refuse = [&](const std::string& key, long ck, long now, const std::string& why) {
    throw InputError("run.restart: the checkpoint is at step " + std::to_string(done) + " of a run with flow_mcmc." +
                     key + " = " + std::to_string(ck) + "; the deck's " + std::to_string(now) + " " + why);
  };
  // Completed phases must keep their length; the phase in progress may change, but not below what is done.
  const long in_training = done - burnin, in_production = done - burnin - training;
  if (in_training > 0 ? deck.burnin != burnin : deck.burnin < done)
    refuse("burnin", burnin, deck.burnin, "does not continue it");
  if (in_production > 0 ? deck.training != training : in_training > deck.training)
    refuse("training_iterations", training, deck.training, "does not continue it");
  if (in_production > 0 && deck.record_every != record_every)
    refuse("record_every", record_every, deck.record_every, "records other iterations");
  if (in_production > deck.production) refuse("production_iterations", production, deck.production, "is shorter than the steps done");
}

}  // namespace boltzflow::flow_mcmc
