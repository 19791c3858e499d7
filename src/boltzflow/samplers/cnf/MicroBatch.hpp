#pragma once
// Micro-batching of CNF solves. Per row a solve holds the velocity's jets (K + 2 slots per
// hidden unit, K = d for the exact divergence), the integrator's stage buffers and, when
// training, its tape of every step: megabytes per row at d = 256. Every solve is therefore split
// into micro-batches of rows that fit a per-rank budget (run.memory_budget), so any N fits;
// results do not depend on the split beyond the rounding of the per-micro-batch sums.
#include <cstddef>

#include "boltzflow/config/Options.hpp"
#include "boltzflow/samplers/cnf/CnfBlock.hpp"

namespace boltzflow::cnf {

struct MemoryBudget {
  std::size_t bytes = std::size_t(1024) << 20;  // per rank, for the CNF work buffers
};

// The deck key run.memory_budget (MiB per rank).
void add_memory_budget_option(config::po::options_description& d);
MemoryBudget memory_budget(const config::Options& opts);

// Bytes per row of one solve through `block` with `spec` (its divergence mode and steps),
// `probes` Hutchinson probes, taped (training: forward + backward) or not, plus the caller's
// own `extra_bytes_per_row`; with field_workspaces, the velocity's workspace once per stage
// evaluation (ode::Integrator::tape_field_workspaces) instead of once.
std::size_t solve_bytes_per_row(const CnfBlock& block, const ode::FlowSpec& spec, int probes, bool taped,
                                std::size_t extra_bytes_per_row, bool field_workspaces = false);

// Rows per micro-batch: as many as fit the budget, at least 1.
int micro_batch_rows(std::size_t bytes_per_row, MemoryBudget budget);

}  // namespace boltzflow::cnf
