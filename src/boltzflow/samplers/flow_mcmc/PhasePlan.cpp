#include "boltzflow/samplers/flow_mcmc/PhasePlan.hpp"

#include <algorithm>
#include <utility>

#include "boltzflow/core/Error.hpp"

namespace boltzflow::flow_mcmc {

long PhasePlan::records(long done) const {
  return std::max(0L, done - burnin - training) / record_every;
}

namespace {
// The plan's fields under their deck names (attributes of the checkpoint group).
const std::pair<const char*, long PhasePlan::*> fields[] = {{"burnin", &PhasePlan::burnin},
                                                            {"training_iterations", &PhasePlan::training},
                                                            {"production_iterations", &PhasePlan::production},
                                                            {"record_every", &PhasePlan::record_every}};
}  // namespace

void PhasePlan::save(io::H5Writer& w, const std::string& group) const {
  for (const auto& [key, field] : fields) w.attribute(group, key, std::int64_t(this->*field));
}

PhasePlan PhasePlan::load(const io::H5Reader& r, const std::string& group) {
  PhasePlan p;
  for (const auto& [key, field] : fields) p.*field = static_cast<long>(r.attribute_int64(group, key));
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
