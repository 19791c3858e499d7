#pragma once
// Graceful stop on SIGTERM / SIGUSR1 (what SLURM sends before the time limit, with
// `--signal`): the handler only sets a flag; samplers poll stop_requested(comm) at step
// boundaries (one tiny allreduce, so every rank stops at the same step), write a checkpoint
// and leave through StopRequested. The flag is process-wide because signals are.
#include <stdexcept>
#include <string>

namespace boltzflow {

class Comm;

void install_stop_handlers();  // SIGTERM, SIGUSR1
bool stop_signal_received();   // this process only
bool stop_requested(const Comm& comm);  // any rank received one (collective)

// Thrown after the checkpoint is written; the driver exits with status 4.
class StopRequested : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace boltzflow
