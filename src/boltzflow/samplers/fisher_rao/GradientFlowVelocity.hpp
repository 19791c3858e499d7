#pragma once
// The fixed velocity of the gradient-flow curve, vₜ = −b(t)(x + ∇fₜ), ∇·vₜ = −b(t)(d + Δfₜ):
// the kernel shared by the residual and the sampling field, and the VelocityField adapter
// that lets ode::Integrator sample with it (forward only: its vjp would need Hessians of U).
#include "boltzflow/nn/VelocityField.hpp"
#include "boltzflow/samplers/fisher_rao/Curve.hpp"

namespace boltzflow::fisher_rao {

// v (n, d) and, if div is non-empty, div (n) from ∇f and Δf.
void gradient_flow_velocity(const Matrix<Real>& x, const Matrix<Real>& grad_f, const Vector<Real>& lap_f, double b,
                            const Matrix<Real>& v, const Vector<Real>& div);

class GradientFlowVelocity : public nn::VelocityField<Real> {
 public:
  GradientFlowVelocity(Model& m, const Target& target) : curve_(m), target_(target) {}
  int dim() const override { return curve_.model().dim(); }
  std::size_t num_params() const override { return curve_.model().num_params(); }
  Vec params() const override { return curve_.model().psi->params(); }
  // DivMode none or exact (Hutchinson is a training-only estimator; sampling uses the exact one).
  void forward(const Mat& x, Real t, nn::DivMode mode, const Probes& probes, const Mat& v, const Vec& div) const override;
  // Throws std::logic_error: the sampler never differentiates through its trajectories.
  void vjp(const Mat& x, Real t, nn::DivMode mode, const Probes& probes, const Mat& gv, const Vec& gdiv, const Mat& gx,
           const Vec& gparams) const override;
  // ψ's jets (f, ∇, ∂ₜ and Δ with the exact divergence), the target's jets and the curve's rows.
  std::size_t workspace_bytes_per_particle(nn::DivMode mode, int probes) const override;

 private:
  mutable Curve curve_;  // holds the jet workspace
  mutable TargetJets tj_;
  const Target& target_;
};

}  // namespace boltzflow::fisher_rao
