#pragma once
// The maximum-likelihood loss of a whitened CNF (WhitenedCnf.hpp) on data rows y already in
// its whitened coordinates, and its exact θ-gradient:
//   −log q(x) = ½‖z‖² + (d/2) log 2π − ℓ + Σ_j log σ_j,   z = y(0), ℓ = ∫₁⁰ ∇·v dt,
// y integrated 1 → 0 with the flow's density scheme (the same discretisation as
// WhitenedCnf::log_density, so the loss is exactly −log q of what the sampler evaluates),
// differentiated through that scheme by the integrator's discrete adjoint (cotangents
// ∂/∂z = z, ∂/∂ℓ = −1). The whitening is a fixed affine map (refitted between trainings, never
// trained), so Σ log σ enters the value but not the gradient.
#include "boltzflow/ode/Integrator.hpp"
#include "boltzflow/samplers/interpolant/WhitenedCnf.hpp"

namespace boltzflow::interpolant {

class LikelihoodLoss {
 public:
  explicit LikelihoodLoss(WhitenedCnf& cnf);
  // Σ_b −log q(x_b) over the first `count` rows of y (not modified); if gparams is not empty,
  // gparams += ∂/∂θ of that SUM (divide by the global batch afterwards).
  double sum(const Particles& y, int count, const Vector<Real>& gparams);
  long nfe() const { return integrator_.nfe(); }

 private:
  WhitenedCnf& cnf_;
  ode::Integrator<Real> integrator_;
  Particles z_;  // y → z in place, then the cotangent ∂L/∂z = z → ∂L/∂y in the adjoint
  Scalars ell_, gell_;
};

}  // namespace boltzflow::interpolant
