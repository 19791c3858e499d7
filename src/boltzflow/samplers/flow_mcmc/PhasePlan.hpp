#pragma once
// The rounds of a flow_mcmc run, the unit of its checkpoints and of run.checkpoint_every:
// `burnin` single MALA moves, then `training` iterations (flow retrained each), then
// `production` iterations (flow frozen; every record_every-th recorded). A checkpoint holds
// the state after `done` completed rounds. It continues under another deck's plan iff each
// completed round is the same kind of round there and the phase in progress is not shorter
// than what is done, so a run can be extended or cut short in its current phase.
#include <string>

#include "boltzflow/io/H5Reader.hpp"
#include "boltzflow/io/H5Writer.hpp"

namespace boltzflow::flow_mcmc {

struct PhasePlan {
  long burnin = 0, training = 0, production = 0, record_every = 1;
  long total() const { return burnin + training + production; }
  // Production records completed after `done` rounds.
  long records(long done) const;

  void save(io::H5Writer& w, const std::string& group) const;
  static PhasePlan load(const io::H5Reader& r, const std::string& group);
  // InputError naming run.restart and the deck key unless `deck` continues this plan after `done` rounds.
  void check_continued_by(const PhasePlan& deck, long done) const;
};

}  // namespace boltzflow::flow_mcmc
