#pragma once
// The whitened CNF as an independence proposal: draws from Stream::flow_proposal, densities
// by the exact divergence along the ODE (forward for draws, backward for chain states).
#include "boltzflow/samplers/flow_mcmc/IndependenceProposal.hpp"
#include "boltzflow/samplers/interpolant/WhitenedCnf.hpp"

namespace boltzflow::flow_mcmc {

class CnfProposal : public IndependenceProposal {
 public:
  explicit CnfProposal(interpolant::WhitenedCnf& cnf) : cnf_(cnf) {}
  int dim() const override { return cnf_.dim(); }
  void sample(std::uint64_t seed, std::uint64_t first_id, std::uint32_t step, const Particles& x,
              const Scalars& log_q) override {
    cnf_.sample(seed, Stream::flow_proposal, first_id, step, x, log_q);
  }
  void log_density(const Particles& x, const Scalars& log_q) override { cnf_.log_density(x, log_q); }

 private:
  interpolant::WhitenedCnf& cnf_;
};

}  // namespace boltzflow::flow_mcmc
