#pragma once
// The jets of the curve fₜ(x) that the continuity residual needs — ∂ₜf, ∇f and Δf — at points
// x that share one time t, assembled from the ψ network's jets, the schedule g(t) and the
// target's U, ∇U, ΔU; and the reverse map from cotangents of those jets to the gradients of
// ψ and g. (With L = log ρ̃ = −U.)
//   gradient flow, a(t) from g(t) (LogTargetWeight):  ∂ₜf = ψ + t ∂ₜψ + a'(t) L,  ∇f = t ∇ψ + a ∇L,  Δf = t Δψ + a ΔL
//   linear / learned, h = t(1 − t), f₀ = log N(0, σ²I):
//        ∂ₜf = L − f₀ + h' ψ + h ∂ₜψ,  ∇f = (1 − t)∇f₀ + t ∇L + h ∇ψ,  Δf = (1 − t)Δf₀ + t ΔL + h Δψ
// (the ψ terms only for learned).
#include "boltzflow/samplers/fisher_rao/Model.hpp"
#include "boltzflow/samplers/fisher_rao/TargetJets.hpp"

namespace boltzflow::fisher_rao {

struct CurveJets {
  Vector<Real> f;     // fₜ (n): not used by the residual, kept for checks and output
  Vector<Real> dt;    // ∂ₜf (n)
  Matrix<Real> grad;  // ∇f (n, d)
  Vector<Real> lap;   // Δf (n), only when asked for
};

class Curve {
 public:
  using Mat = Matrix<Real>;
  using Vec = Vector<Real>;
  explicit Curve(Model& m) : m_(m) {}
  Model& model() const { return m_; }

  // Jets at the n = x.extent(0) rows of x, all at time t; out views of n rows are (re)sized here
  // and stay valid until the next call.
  const CurveJets& jets(const Mat& x, double t, const TargetJets& tj, bool laplacian);
  // Cotangents (c_dt, c_grad, c_lap) of the jets of the last jets() call at the same (x, t):
  // accumulates ∂/∂θ of Σ_b [c_dt ∂ₜf + c_grad·∇f + c_lap Δf] into the ψ and g gradient blocks.
  // c_lap is ignored unless that call asked for the Laplacian.
  void vjp(const Mat& x, double t, const TargetJets& tj, const Vec& c_dt, const Mat& c_grad, const Vec& c_lap);

 private:
  void reserve(std::size_t n, int d);
  Model& m_;
  bool lap_ = false;
  double g_ = 0, gdot_ = 0;  // g(t), g'(t) of the last call
  CurveJets out_;
  Vec f_, dt_, lap_buf_, psi_f_, psi_dt_, psi_lap_, gpsi_f_, gpsi_dt_, gpsi_lap_;
  Mat grad_, psi_grad_, gpsi_grad_, gx_;
};

}  // namespace boltzflow::fisher_rao
