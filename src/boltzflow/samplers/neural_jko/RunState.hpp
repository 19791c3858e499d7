#pragma once
// The complete state of a neural_jko run after a completed step (a CNF step or a rejection
// step of the plan), and its checkpoint file. With the model's random streams restarted at
// every step (Model::restart_streams), this is all a resumed run needs to continue exactly as
// the uninterrupted run: Adam is created afresh per CNF step, network initialisation and the
// minibatches and probes are keyed by (seed, CNF step, iteration), and the dataset is kept.
// The dataset is stored in global row order, so a checkpoint also resumes on another rank count.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "boltzflow/io/H5Reader.hpp"
#include "boltzflow/samplers/Checkpoint.hpp"
#include "boltzflow/samplers/Sampler.hpp"
#include "boltzflow/samplers/cnf/BlockTrainer.hpp"
#include "boltzflow/samplers/cnf/CnfBlock.hpp"
#include "boltzflow/samplers/neural_jko/Batch.hpp"
#include "boltzflow/samplers/neural_jko/RejectionStep.hpp"

namespace boltzflow::neural_jko {

struct RunState {
  int completed = 0;                  // steps of the plan done
  std::vector<std::int64_t> kinds;    // per completed step: 0 = CNF, 1 = rejection
  std::vector<cnf::CnfBlock> blocks;  // the CNF steps' networks, in order
  std::vector<cnf::TrainLog> logs;    // their training logs
  std::vector<RejectionParams> rejections;  // the rejection steps' (log c, r̂), in order
  std::map<std::string, std::vector<double>> series;  // per-step diagnostics (/diagnostics)
  Batch data;  // the training dataset after the last completed step (this rank's rows)
  // Time spent before this process's part of the run (restored from the checkpoint).
  double train_seconds = 0, train_cpu_seconds = 0, dataset_seconds = 0, wall_seconds = 0, cpu_seconds = 0;
};

// What the deck says the checkpoint must fit.
struct StateShape {
  std::int64_t dataset = 0;          // global training rows
  int dim = 0;
  std::vector<std::int64_t> plan;    // the deck's step kinds (0 = CNF, 1 = rejection)
};

// Writes st (collective) to a new checkpoint; wall/cpu: the run's totals so far.
void write_state(const Checkpoints& checkpoints, const std::string& method, const RunState& st, const StateShape& shape,
                 double wall_seconds, double cpu_seconds);

// The state of checkpoint r on this rank's rows `dec` of the dataset; new_block(k) builds CNF
// step k's (fresh) network, whose parameters are then read. InputError naming run.restart when
// the checkpoint does not fit the deck (dataset size, dimension, step plan, network size).
RunState read_state(const io::H5Reader& r, const StateShape& shape, const Decomposition& dec,
                    const std::function<cnf::CnfBlock(int k)>& new_block);

}  // namespace boltzflow::neural_jko
