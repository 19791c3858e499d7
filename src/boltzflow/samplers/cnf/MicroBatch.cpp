#include "boltzflow/samplers/cnf/MicroBatch.hpp"

#include <algorithm>
#include <limits>

namespace boltzflow::cnf {

void add_memory_budget_option(config::po::options_description& d) {
  config::add<double>(d, "run.memory_budget", 1024.0,
                      "MiB per rank for the CNF jet, stage and tape buffers: training minibatches, pushes and "
                      "density evaluations are split into micro-batches of rows that fit (results agree to rounding)",
                      1e-6, 1e9);
}

MemoryBudget memory_budget(const config::Options& opts) {
  return MemoryBudget{static_cast<std::size_t>(opts.get<double>("run.memory_budget") * double(1 << 20))};
}

std::size_t solve_bytes_per_row(const CnfBlock& block, const ode::FlowSpec& spec, int probes, bool taped,
                                std::size_t extra_bytes_per_row, bool field_workspaces) {
  const int d = block.dim();
  const int K = spec.div == nn::DivMode::hutchinson ? probes : 0;
  const ode::Integrator<Real> integrator(spec);  // allocates nothing until it integrates
  const std::size_t copies = field_workspaces ? std::size_t(integrator.evaluations_per_solve()) : 1;
  return copies * block.velocity->workspace_bytes_per_particle(spec.div, K) + integrator.bytes_per_row(d, taped) +
         std::size_t(K) * d * sizeof(Real) + extra_bytes_per_row;
}

int micro_batch_rows(std::size_t bytes_per_row, MemoryBudget budget) {
  const std::size_t rows = budget.bytes / std::max<std::size_t>(bytes_per_row, 1);
  return static_cast<int>(std::clamp<std::size_t>(rows, 1, std::numeric_limits<int>::max()));
}

}  // namespace boltzflow::cnf
