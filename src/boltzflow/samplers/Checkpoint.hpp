#pragma once
// Checkpoint/restart policy of a run: <output.prefix>_checkpoint.h5 holds a sampler's
// complete state (distributed rows + replicated counters), written every
// run.checkpoint_every steps, at block ends and on a stop signal. Each write goes to a
// temporary name and is renamed, so the previous checkpoint survives a crash while writing.
// run.restart = FILE resumes from FILE; "auto" resumes from the run's own checkpoint if it
// exists (what a requeued SLURM job does).
#include <memory>
#include <string>

#include "boltzflow/config/Options.hpp"
#include "boltzflow/core/Comm.hpp"
#include "boltzflow/io/H5Reader.hpp"
#include "boltzflow/io/H5Writer.hpp"

namespace boltzflow {

void add_checkpoint_options(config::po::options_description& d);

class Checkpoints {
 public:
  Checkpoints(const Comm& comm, const config::Options& opts);
  const std::string& path() const { return path_; }
  // The checkpoint to resume from, or nullptr: opened on every rank; checks that the
  // method matches (InputError naming the file otherwise).
  std::unique_ptr<io::H5Reader> restart(const std::string& method) const;
  bool restarting() const { return !restart_from_.empty(); }
  const std::string& restart_path() const { return restart_from_; }  // empty: a fresh run
  long every() const { return every_; }                             // 0: only on a stop signal
  // Whether a checkpoint is due after `step` completed steps (every > 0 and step % every == 0).
  bool due(long step) const { return every_ > 0 && step > 0 && step % every_ == 0; }
  // A fresh file for the next checkpoint; write the state into it, then call commit().
  std::unique_ptr<io::H5Writer> begin(const std::string& method) const;
  void commit(io::H5Writer& w) const;

 private:
  const Comm& comm_;
  std::string path_, restart_from_, deck_;
  long every_ = 0;
};

}  // namespace boltzflow
