#pragma once
// The element-wise kernels of an explicit Runge-Kutta step and of its discrete adjoint
// (one thread per particle, rows of the (B, d) stage matrices). Weights already include h.
#include "boltzflow/core/Types.hpp"
#include "boltzflow/ode/Scheme.hpp"

namespace boltzflow::ode::detail {

// A weighted set of n <= max_stages stage matrices (and optionally per-stage scalars).
template <class Scalar>
struct Stages {
  Matrix<Scalar> k[max_stages];
  Vector<Scalar> s[max_stages];
  Scalar w[max_stages] = {};
  int n = 0;
};

// y = x + Σ_j w_j k_j
template <class Scalar>
void stage_input(const Matrix<Scalar>& y, const Matrix<Scalar>& x, const Stages<Scalar>& st);

// x += Σ_i w_i k_i; ell += Σ_i w_i s_i (if ell is not empty); omega += Σ_i w_i ‖k_i‖² (if omega is not empty).
template <class Scalar>
void finish_step(const Matrix<Scalar>& x, const Vector<Scalar>& ell, const Vector<Scalar>& omega,
                 const Stages<Scalar>& st);

// Cotangent of stage i from the step output: kbar = w (gx + 2 gomega k) (gomega may be empty;
// then k is not read). kbar may be k itself (element-wise, in place).
template <class Scalar>
void seed_stage(const Matrix<Scalar>& kbar, Scalar w, const Matrix<Scalar>& gx, const Vector<Scalar>& gomega,
                const Matrix<Scalar>& k);

// Back-propagates a stage input's cotangent ybar: st.k[j] += w_j ybar (earlier stages), gx += ybar.
template <class Scalar>
void scatter_stage(const Matrix<Scalar>& gx, const Matrix<Scalar>& ybar, const Stages<Scalar>& st);

// out = w in
template <class Scalar>
void scale(const Vector<Scalar>& out, Scalar w, const Vector<Scalar>& in);

}  // namespace boltzflow::ode::detail
