#pragma once
// The complete training state of a Fisher–Rao run and its checkpoint I/O: every network of the
// curve (Model blocks ψ, g, C, v), one Adam per block with its moments and step count (the
// learning-rate schedule is a function of that count), the iteration counter, the per-iteration
// series, the collocation NFE counter and the training wall time so far. Nothing else is needed
// for a bit-identical restart: every collocation draw (box-OU points, stratified time groups,
// trajectory starts) is keyed by (seed, iteration, global row or group), never by a stream position.
#include <string>
#include <vector>

#include "boltzflow/io/H5Reader.hpp"
#include "boltzflow/io/H5Writer.hpp"
#include "boltzflow/nn/Adam.hpp"
#include "boltzflow/samplers/fisher_rao/Model.hpp"

namespace boltzflow::fisher_rao {

struct TrainState {
  TrainState(const Model& m, const nn::AdamConfig& adam);  // iteration 0: one fresh Adam per block
  std::vector<nn::Adam<Real>> adam;                         // in Model::blocks() order
  long iteration = 0;                                       // completed optimizer steps
  long nfe = 0;           // velocity evaluations of the collocation trajectories (the same on every rank)
  double seconds = 0;     // training wall time of the earlier runs of a restarted job
  std::vector<double> loss, lr, grad_norm;  // one entry per completed iteration
};

// What a checkpoint must share with the deck to be resumed: the target's name, interpolation,
// dimension, learned C_t and the network shapes (e.g. "target=gmm gradient_flow d=2 learn_c=0
// network=16x2,tanh,time=linear time_net=8x2").
std::string curve_signature(const ModelConfig& c, const std::string& target);

// Writes the state under /state (replicated; call on every rank) with the deck's signature.
// seconds: the training wall time up to now; iterations: the deck's total (for the record).
void write_train_state(io::H5Writer& w, const std::string& signature, const Model& m, const TrainState& s,
                       double seconds, long iterations);
// Restores the parameters of m and the state s on every rank. A checkpoint of another signature,
// or one past `iterations`, is an InputError naming run.restart.
void read_train_state(const io::H5Reader& r, const std::string& signature, const Model& m, TrainState& s,
                      long iterations);

}  // namespace boltzflow::fisher_rao
