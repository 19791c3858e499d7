#include "boltzflow/samplers/cnf/TrainingOptions.hpp"

namespace boltzflow::cnf {

BlockObjective TrainingOptions::objective(EnergyFn energy, double gamma) const {
  BlockObjective obj;
  obj.energy = std::move(energy);
  obj.gamma = gamma;
  obj.div = divergence;
  obj.probes = probes;
  obj.probe_kind = probe_kind;
  return obj;
}

BlockTrainConfig TrainingOptions::train_config(std::string name) const {
  BlockTrainConfig tc;
  tc.iterations = iterations;
  tc.batch = batch;
  tc.adam = adam;
  tc.print_every = print_every;
  tc.budget = budget;
  tc.name = std::move(name);
  return tc;
}

void add_training_options(config::po::options_description& d, const std::string& section, const TrainingDefaults& def) {
  using namespace config;
  const std::string s = section + ".";
  const auto big = std::int64_t(1) << 40;
  add<long>(d, s + "iterations", def.iterations, std::string("Adam iterations per ") + def.unit, 0, 1L << 40);
  add<std::int64_t>(d, s + "batch", def.batch,
                    "global minibatch per iteration (epoch-wise shuffled; split into micro-batches by run.memory_budget)",
                    1, big);
  add_choice(d, s + "divergence", "exact", {"exact", "hutchinson"},
             "divergence in the TRAINING loss only (samples and log-densities always use the exact trace)");
  add<int>(d, s + "probes", 1, "Hutchinson probes per particle and solve (divergence = hutchinson)", 1, 1024);
  add_choice(d, s + "probe", def.probe, {"gaussian", "rademacher"}, "Hutchinson probe distribution");
  add<long>(d, s + "print_every", def.print_every, "progress line every k training iterations (0: last only)", 0,
            1L << 40);
}

TrainingOptions training_options(const config::Options& o, const std::string& section) {
  const std::string s = section + ".";
  TrainingOptions t;
  t.iterations = o.get<long>(s + "iterations");
  t.batch = o.get<std::int64_t>(s + "batch");
  t.divergence = o.str(s + "divergence") == "hutchinson" ? nn::DivMode::hutchinson : nn::DivMode::exact;
  t.probes = o.get<int>(s + "probes");
  t.probe_kind = o.str(s + "probe") == "rademacher" ? ProbeKind::rademacher : ProbeKind::gaussian;
  t.print_every = o.get<long>(s + "print_every");
  t.budget = memory_budget(o);
  return t;
}

}  // namespace boltzflow::cnf
