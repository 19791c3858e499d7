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
#include "boltzflow/ode/StageKernels.hpp"

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
  // Same result as integrate(), and tapes what backward() needs: x at every step start and
  // every stage velocity ((1 + stages)·steps·B·d scalars; the stage inputs are recombined from
  // them in backward, so no velocity is re-evaluated) and a reference to probes, which must
  // stay unchanged until backward().
  void forward(const Field& v, const Mat& x, const Vec& ell, const Vec& omega, const Probes& probes = {});
  // Adjoint of the last forward(): gx (B, d) holds ∂L/∂x(t1) on entry and ∂L/∂x(t0) on exit;
  // gell, gomega (B) are ∂L/∂ℓ(t1), ∂L/∂ω(t1) (empty = 0). gparams += ∂L/∂θ.
  void backward(const Field& v, const Mat& gx, const Vec& gell, const Vec& gomega, const Vec& gparams);

  // With on, forward() also has the field keep one workspace (its jets) per stage evaluation
  // and backward() back-propagates each stage through its own: no forward is re-run, for
  // evaluations_per_solve() times the field's workspace. Off (the default): one workspace,
  // and each vjp re-runs its stage's forward. Results are identical either way.
  void tape_field_workspaces(bool on) { tape_ws_ = on; }
  int evaluations_per_solve() const { return spec_.steps * tab_.stages; }

  // Bytes per row of this integrator's stage buffers, plus its tape when `taped` (forward()),
  // in dimension d: with the field's workspace, what a micro-batch size must budget for.
  std::size_t bytes_per_row(int d, bool taped) const;

  // Velocity evaluations so far: forward stages, and in backward() one vjp per stage.
  long nfe() const { return nfe_; }

 private:
  using Stages = detail::Stages<Scalar>;
  // Step n from tn (x in place); stage inputs land in y_, velocities in k_ (in the tape when
  // taping), divergences in s_.
  void step(const Field& v, const Mat& x, const Vec& ell, const Vec& omega, const Probes& probes, int n, int B,
            bool tape);
  // Adjoint of step n (tape_[n] = its start state, tape_k_ its stage velocities): gx from
  // ∂L/∂x_{n+1} to ∂L/∂x_n.
  void step_adjoint(const Field& v, int n, const Mat& gx, const Vec& gell, const Vec& gomega, const Vec& gparams,
                    int B);
  void reserve(int B, int d);  // grows the stage buffers (never shrinks)
  void check(const Field& v, const Mat& x, const Vec& ell, const Vec& omega, const Probes& probes) const;
  void run(const Field& v, const Mat& x, const Vec& ell, const Vec& omega, const Probes& probes, bool tape);
  double h() const { return (spec_.t1 - spec_.t0) / spec_.steps; }

  FlowSpec spec_;
  Tableau tab_;
  long nfe_ = 0;
  // Taped by forward(): x at the start of every step, the stage velocities of every step
  // (tape_k_[n·stages + i]), the probes, the batch size.
  std::vector<Mat> tape_, tape_k_;
  Probes probes_;
  int taped_B_ = -1;  // -1: nothing taped yet
  bool taped_ell_ = false, taped_omega_ = false;  // whether ℓ / ω were part of the taped computation
  bool tape_ws_ = false;                          // tape_field_workspaces
  bool taped_ws_ = false;                         // the last forward() kept a workspace per stage
  // Stage buffers, (cap, d) / (cap) with cap >= B; the kernels see their first B rows.
  // In the adjoint k_ is overwritten by the stage cotangents and s_ by the divergence cotangents.
  Mat y_[max_stages], k_[max_stages], gstage_;
  Vec s_[max_stages];
};

}  // namespace boltzflow::ode
