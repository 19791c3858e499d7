#include "boltzflow/driver/Schema.hpp"

#include "boltzflow/samplers/Checkpoint.hpp"
#include "boltzflow/samplers/Registry.hpp"
#include "boltzflow/samplers/cnf/MicroBatch.hpp"
#include "boltzflow/targets/Factory.hpp"

namespace boltzflow {

config::po::options_description full_schema() {
  using namespace config;
  po::options_description d("boltzflow deck keys ([section] key = value, or --section.key=value)");
  add_choice(d, "run.method", "mala", method_names(), "sampler");
  add<std::uint64_t>(d, "run.seed", 1, "random seed: results are reproducible for a given seed and rank count", 0,
                     std::numeric_limits<std::uint64_t>::max());
  add_bool(d, "run.quiet", false, "suppress progress lines");
  cnf::add_memory_budget_option(d);
  add_checkpoint_options(d);
  add_string(d, "output.prefix", "boltzflow",
             "output path prefix: writes <prefix>_samples.h5 (+ .xmf), and <prefix>_trajectories.h5 where paths are stored");
  add<int>(d, "output.trajectory_deflate", 1,
           "deflate level of <prefix>_trajectories.h5 (shuffle + deflate, chunks of one frame; 0 = uncompressed)", 0, 9);
  add_bool(d, "output.xdmf", true, "write XDMF sidecars so ParaView opens the samples and any stored trajectories");
  add_bool(d, "metrics.enabled", true, "compute sample metrics at the end of the run");
  add<std::int64_t>(d, "metrics.reference_samples", 0, "exact target samples for distances (0 = as many as the run has)", 0,
                    std::int64_t(1) << 40);
  add<int>(d, "metrics.directions", 1000, "random directions for sliced energy distance / Wasserstein", 1, 1000000);
  add<std::int64_t>(d, "metrics.exact_max", 5000, "energy distance and MMD (O(NM) pair sums) on a seeded subsample of ~this many samples per set when larger (< 2: off)", 0,
                    std::int64_t(1) << 40);
  add_bool(d, "metrics.forward_weights", true,
           "EUBO, forward IS log Z and forward ESS from the model's log q at the exact reference samples "
           "(annealing_flow, neural_jko, fisher_rao; costs about one sampling pass over them)");
  add_target_options(d);
  for (const auto& m : methods())
    if (m.add_options) m.add_options(d);
  return d;
}

}  // namespace boltzflow
