#pragma once
// Fixed-step explicit Runge-Kutta integration of particles under a velocity field, with the
// augmented state of a CNF: x' = v(x,t), ℓ' = ∇·v(x,t), ω' = ‖v(x,t)‖² (ℓ and ω optional).
// From t0 to t1 in `steps` equal steps (t1 < t0 integrates backward; then h < 0 and ℓ, ω
// accumulate with that signed h, so ℓ(t1) = ∫_{t0}^{t1} ∇·v dt exactly as written).
// forward() tapes the step-start states; backward() is the discrete adjoint of exactly
// that computation (discretise-then-optimise): given cotangents of the final (x, ℓ, ω) it
// returns the cotangent of the initial x and ACCUMULATES ∂L/∂θ into gparams.
#include <vector>

#include "boltzflow/nn/VelocityField.hpp"
#include "boltzflow/ode/Scheme.hpp"

namespace boltzflow::ode {

struct FlowSpec {
  Scheme scheme = Scheme::rk4_38;
  int steps = 3;
  double t0 = 0.0, t1 = 1.0;
  nn::DivMode div = nn::DivMode::exact;  // none: ℓ is left untouched
  bool kinetic = false;                  // accumulate ω
};

template <class Scalar>
class Integrator {
 public:
  using Field = nn::VelocityField<Scalar>;
  using Mat = Matrix<Scalar>;
  using Vec = Vector<Scalar>;
  using Probes = typename Field::Probes;

  explicit Integrator(FlowSpec spec);
  const FlowSpec& spec() const { return spec_; }

  // x (B, d) in place; ell, omega (B) accumulated (may be empty Views when not wanted).
  // probes (B, K, d) only for DivMode::hutchinson: fixed for the whole solve.
  void integrate(const Field& v, const Mat& x, const Vec& ell, const Vec& omega, const Probes& probes = {});
  // Same result as integrate(), and keeps what backward() needs.
  void forward(const Field& v, const Mat& x, const Vec& ell, const Vec& omega, const Probes& probes = {});
  // Adjoint of the last forward(): gx (B, d) holds ∂L/∂x(t1) on entry and ∂L/∂x(t0) on exit;
  // gell, gomega (B) are ∂L/∂ℓ(t1), ∂L/∂ω(t1) (empty = 0). gparams += ∂L/∂θ.
  void backward(const Field& v, const Mat& gx, const Vec& gell, const Vec& gomega, const Vec& gparams);

  long nfe() const { return nfe_; }  // velocity evaluations so far (forward and adjoint)

 private:
  FlowSpec spec_;
  long nfe_ = 0;
  // Implementation detail (taped states, stage buffers) below.
  std::vector<Mat> tape_;  // x at the start of every step
  Probes probes_;
  Mat stage_x_, gstage_;
  Mat k_[max_stages];
  Vec s_[max_stages];
};

}  // namespace boltzflow::ode
