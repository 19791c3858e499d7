#pragma once
// A trained CNF block in a checkpoint file: its parameters and its training log (per-iteration
// curves, times, NFE) as one group, shared by the samplers whose checkpoints hold trained
// blocks (annealing_flow, neural_jko).
#include <string>
#include <vector>

#include "boltzflow/io/H5Reader.hpp"
#include "boltzflow/io/H5Writer.hpp"
#include "boltzflow/samplers/cnf/BlockTrainer.hpp"
#include "boltzflow/samplers/cnf/CnfBlock.hpp"

namespace boltzflow::cnf {

// The block's parameters on the host.
std::vector<double> params_of(const CnfBlock& block);

// Datasets group/{params,loss,energy,divergence,kinetic,grad_norm} (empty curves are not
// written) and attributes seconds, cpu_seconds, nfe (rank 0's). Collective.
void write_block(io::H5Writer& w, const std::string& group, const CnfBlock& block, const TrainLog& log);

// Sets block's parameters from group (a block of the deck's network: InputError naming
// run.restart if the parameter counts differ) and returns the group's training log.
TrainLog read_block(const io::H5Reader& r, const std::string& group, const CnfBlock& block);

}  // namespace boltzflow::cnf
