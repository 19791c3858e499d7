#pragma once
// One CNF block: a velocity field on local time [t0, t1] and the fixed-step scheme that
// integrates it. Training, sampling and density evaluation all use this one discretisation,
// so the tracked log-density is that of the map that generated the samples (to O(h⁴)).
#include <memory>

#include "boltzflow/nn/NetworkOptions.hpp"
#include "boltzflow/nn/VelocityField.hpp"
#include "boltzflow/ode/Integrator.hpp"

namespace boltzflow::cnf {

struct CnfBlock {
  std::shared_ptr<nn::VelocityField<Real>> velocity;
  // scheme, steps, t0, t1; div and kinetic are chosen by each use (push: exact divergence).
  ode::FlowSpec flow;

  int dim() const { return velocity->dim(); }
  Vector<Real> params() const { return velocity->params(); }
};

// A block with a fresh jet MLP built from `net` (network.precision must be double).
CnfBlock make_mlp_block(const nn::NetworkConfig& net, int dim, const ode::FlowSpec& flow);

// Warm start: dst's parameters become a copy of src's (same layout required).
void copy_params(const CnfBlock& src, const CnfBlock& dst);

}  // namespace boltzflow::cnf
