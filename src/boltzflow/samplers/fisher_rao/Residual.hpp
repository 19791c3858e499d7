#pragma once
// The continuity-equation residual of a Fisher–Rao curve (log-density convention),
//   r(x,t) = ∂ₜfₜ(x) + Cₜ + ∇fₜ(x)·vₜ(x) + ∇·vₜ(x),
// its loss Σ_b ℓ(r_b) (ℓ = r² or |r| + r²) over points sharing one time t, and the gradient of
// that sum w.r.t. every network. r is linear in each jet output, so with w = ℓ'(r) the
// cotangents are w·∂r/∂(output):
//   gradient flow (v = −b(x + ∇f), ∇·v = −b(d + Δf)):  ∂ₜf: w, ∇f: −b w (x + 2∇f), Δf: −b w, C: w
//   learned velocity:                                  ∂ₜf: w, ∇f: w v, v: w ∇f, ∇·v: w, C: w
#include "boltzflow/samplers/fisher_rao/Curve.hpp"

namespace boltzflow::fisher_rao {

// r = dt + C + Σᵢ grad_i v_i + div (all n rows).
void continuity_residual(const Vector<Real>& dt, double C, const Matrix<Real>& grad, const Matrix<Real>& v,
                         const Vector<Real>& div, const Vector<Real>& r);

class ResidualLoss {
 public:
  using Mat = Matrix<Real>;
  using Vec = Vector<Real>;
  ResidualLoss(Model& m, LossKind loss) : m_(m), curve_(m), loss_(loss) {}

  // Σ_b ℓ(r_b) over the rows of x, all at time t (tj: the target at x; ΔU needed for the
  // gradient flow). grads: also ACCUMULATE ∂/∂θ of that sum into m.grads().
  double evaluate(const Mat& x, double t, const TargetJets& tj, bool grads);
  Vec residual() const { return r_; }  // r of the last call (n rows)

 private:
  void reserve(std::size_t n, int d);
  Model& m_;
  Curve curve_;
  LossKind loss_;
  Vec r_, r_buf_, div_, w_, c_dt_, c_lap_, c_div_;
  Mat v_, c_grad_, c_v_, gx_;
};

}  // namespace boltzflow::fisher_rao
