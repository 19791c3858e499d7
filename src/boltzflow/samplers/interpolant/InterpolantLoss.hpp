#pragma once
// The stochastic-interpolant (flow-matching) loss of a velocity field at ONE time t
// (methods.md §5): for rows b with base x₀, data x₁ and latent z,
//   x_t = α(t)x₀ + β(t)x₁ + γ(t)z,   u = α̇x₀ + β̇x₁ + γ̇z,   ℓ_b = ‖v̂(t,x_t)‖² − 2u·v̂(t,x_t),
// minimised by v̂ = E[u | x_t] (ℓ = ‖v̂ − u‖² − ‖u‖²). No ODE solve: the θ-gradient is one
// vector-Jacobian product with cotangent ∂ℓ/∂v̂ = 2(v̂ − u). With noise the antithetic pair ±z
// is averaged per row (variance reduction, §5). The network evaluates one t per call, so the
// caller groups rows by time (TimeBins).
#include "boltzflow/core/Types.hpp"
#include "boltzflow/nn/VelocityField.hpp"
#include "boltzflow/samplers/interpolant/InterpolantPath.hpp"

namespace boltzflow::interpolant {

template <class Scalar>
class InterpolantLoss {
 public:
  using Mat = Matrix<Scalar>;
  using Vec = Vector<Scalar>;
  explicit InterpolantLoss(InterpolantPath path) : path_(path) {}
  const InterpolantPath& path() const { return path_; }

  // Σ_b ℓ_b over the rows of x0, x1 (and z; z may be empty without noise) at time t.
  double value(const nn::VelocityField<Scalar>& v, double t, const Mat& x0, const Mat& x1, const Mat& z);
  // The same sum, and gparams += ∂(Σ_b ℓ_b)/∂θ (a SUM: the caller divides by the global batch).
  double accumulate(const nn::VelocityField<Scalar>& v, double t, const Mat& x0, const Mat& x1, const Mat& z,
                    const Vec& gparams);

  // Steps of value()/accumulate(); public because CUDA extended lambdas may not live in private
  // member functions.
  int build(double t, const Mat& x0, const Mat& x1, const Mat& z);  // fills xt_, u_; returns rows
  double evaluate(const nn::VelocityField<Scalar>& v, double t, int rows, bool with_cotangent);

 private:
  InterpolantPath path_;
  Mat xt_, u_, v_, gv_, gx_;  // workspace, grown on demand
};

}  // namespace boltzflow::interpolant
