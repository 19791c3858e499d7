#pragma once
// The interface between trainable velocity fields v_θ: R^d x [0,1] -> R^d (nn/) and the ODE
// integrators (ode/). Parameters live in one flat View (one allreduce, one HDF5 dataset,
// one optimizer loop). vjp may be called at any (x, t), so an integrator can back-propagate
// stage by stage from stored states; an implementation may reuse what its last forward kept
// when that forward had exactly the same inputs (VelocityMlp does), but never relies on it.
#include <cstddef>

#include "boltzflow/core/Types.hpp"

namespace boltzflow::nn {

enum class DivMode {
  none,        // v only
  exact,       // trace of ∂v/∂x (d tangent directions)
  hutchinson,  // εᵀ(∂v/∂x)ε averaged over K probes ε (probes given by the caller)
};

template <class Scalar>
class VelocityField {
 public:
  using Mat = Matrix<Scalar>;
  using Vec = Vector<Scalar>;
  using Probes = Kokkos::View<Scalar***, Kokkos::LayoutRight, MemSpace>;  // (B, K, d)

  virtual ~VelocityField() = default;
  virtual int dim() const = 0;
  virtual std::size_t num_params() const = 0;
  virtual Vec params() const = 0;  // flat parameter View (shared, not a copy)

  // v(x, t) -> v (B, d); if mode != none also div (B). probes used only for hutchinson.
  virtual void forward(const Mat& x, Scalar t, DivMode mode, const Probes& probes, const Mat& v,
                       const Vec& div) const = 0;

  // Vector-Jacobian product of the same map: with L = Σ_b [gv_b · v_b + gdiv_b · div_b],
  // writes gx = ∂L/∂x (B, d) and ACCUMULATES gparams += ∂L/∂θ. gdiv is ignored for mode none.
  virtual void vjp(const Mat& x, Scalar t, DivMode mode, const Probes& probes, const Mat& gv, const Vec& gdiv,
                   const Mat& gx, const Vec& gparams) const = 0;

  // Bytes per row the field holds for a forward/vjp in `mode` with `probes` Hutchinson probes
  // (its jets and cotangent rows): what a micro-batch size must budget for.
  virtual std::size_t workspace_bytes_per_particle(DivMode mode, int probes) const = 0;
  // Frees that workspace until the next use (a field without one has nothing to free).
  virtual void release_workspace() const {}
  // Keep exactly n independent copies of that workspace (freeing extra ones) and work in copy
  // i (a field without one ignores this): an integrator that tapes one copy per stage
  // evaluation lets each vjp reuse its own stage's forward instead of re-running it.
  // release_workspace() returns to one empty copy.
  virtual void keep_workspaces(int n) const { (void)n; }
  virtual void use_workspace(int i) const { (void)i; }
};

}  // namespace boltzflow::nn
