#pragma once
// The trained state of a whitened CNF and its optimizer in a checkpoint (flow_mcmc and
// interpolant): network parameters, whitening (mean, lower factor L, kind), Adam moments and step count under
// <group>/ (replicated data, identical on every rank). Together with counter-keyed draws
// (the trainer keys its minibatches by the Adam step) this resumes training bit-identically.
#include <string>
#include <vector>

#include "boltzflow/io/H5Reader.hpp"
#include "boltzflow/io/H5Writer.hpp"
#include "boltzflow/samplers/interpolant/FlowTrainer.hpp"
#include "boltzflow/samplers/interpolant/WhitenedCnf.hpp"

namespace boltzflow::interpolant {

// The trained flow as the output file stores it (<group>/params, whitening_mean, whitening_std,
// whitening_factor (d × d, lower), attribute whitening): host copies, so a write_extra
// callback can hold it after the sampler's Views are gone.
struct FlowSnapshot {
  std::vector<double> params, mean, std, factor;
  std::string kind;
  explicit FlowSnapshot(const WhitenedCnf& cnf);
  void write(io::H5Writer& w, const std::string& group) const;
};

void write_flow_state(io::H5Writer& w, const std::string& group, const WhitenedCnf& cnf,
                      const FlowTrainer& trainer);
// InputError naming run.restart when the stored network or dimension does not fit the deck's.
void read_flow_state(const io::H5Reader& r, const std::string& group, WhitenedCnf& cnf, FlowTrainer& trainer);

}  // namespace boltzflow::interpolant
