#pragma once
// A transport step of the model: an invertible map T with its exact log-Jacobian. For a CNF
// step T is the RK4 flow of a velocity field and log|det ∂T| = ∫∇·v dt along the path (exact
// divergence). The model is agnostic of how T is made, so it can also be tested with maps
// whose Jacobian is known in closed form.
#include "boltzflow/core/Types.hpp"

namespace boltzflow::neural_jko {

class TransportStep {
 public:
  virtual ~TransportStep() = default;
  virtual int dim() const = 0;
  // In place: x ← T(x) and e ← e + log|det ∂T(x)| (the energy −log p of the pushed density).
  virtual void push(const Particles& x, const Scalars& e) = 0;
  // In place: x ← T⁻¹(x), and ell(i) = log|det ∂T| at the NEW x(i), so that the energy after
  // the step at the old point equals the energy before the step at the new point plus ell.
  virtual void pull(const Particles& x, const Scalars& ell) = 0;
  // Velocity evaluations so far (0 for closed-form maps).
  virtual long nfe() const { return 0; }
};

}  // namespace boltzflow::neural_jko
