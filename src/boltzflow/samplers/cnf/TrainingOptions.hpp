#pragma once
// The CNF-training settings that Annealing Flow and neural JKO share, each under its own deck
// section (iterations, batch, divergence, probes, probe, print_every) plus run.memory_budget,
// and the block objective and trainer configuration built from them.
#include <cstdint>
#include <string>

#include "boltzflow/config/Options.hpp"
#include "boltzflow/samplers/cnf/BlockTrainer.hpp"

namespace boltzflow::cnf {

struct TrainingOptions {
  long iterations = 1000;
  std::int64_t batch = 1000;  // global minibatch
  nn::DivMode divergence = nn::DivMode::exact;  // in the training loss only
  int probes = 1;
  ProbeKind probe_kind = ProbeKind::gaussian;
  long print_every = 100;
  nn::AdamConfig adam;  // each method reads its own optimizer keys
  MemoryBudget budget;

  BlockObjective objective(EnergyFn energy, double gamma) const;
  BlockTrainConfig train_config(std::string name) const;
};

// Defaults and the word for one trained unit ("block", "CNF step") in the help texts.
struct TrainingDefaults {
  long iterations;
  std::int64_t batch;
  const char* probe;  // "gaussian" or "rademacher"
  long print_every;
  const char* unit;
};

// Registers <section>.{iterations, batch, divergence, probes, probe, print_every}.
void add_training_options(config::po::options_description& d, const std::string& section, const TrainingDefaults& def);
// Reads them and run.memory_budget (adam is left at its defaults).
TrainingOptions training_options(const config::Options& opts, const std::string& section);

}  // namespace boltzflow::cnf
