#pragma once
// A proposal density for independence Metropolis–Hastings: draws that do not depend on the
// current state, each with its exact log-density, and the log-density at any point. The
// trained CNF is one (CnfProposal); tests use closed-form densities.
#include <cstdint>

#include "boltzflow/core/Types.hpp"

namespace boltzflow::flow_mcmc {

class IndependenceProposal {
 public:
  virtual ~IndependenceProposal() = default;
  virtual int dim() const = 0;
  // Row i: the draw of global chain first_id + i at move `step`, and log q of it.
  virtual void sample(std::uint64_t seed, std::uint64_t first_id, std::uint32_t step, const Particles& x,
                      const Scalars& log_q) = 0;
  // log q at the rows of x.
  virtual void log_density(const Particles& x, const Scalars& log_q) = 0;
};

}  // namespace boltzflow::flow_mcmc
