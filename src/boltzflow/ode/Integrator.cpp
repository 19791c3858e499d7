#include "boltzflow/ode/Integrator.hpp"

#include <string>

#include "boltzflow/core/Error.hpp"

namespace boltzflow::ode {

namespace {
// The first B rows of a stage buffer (rows of a LayoutRight matrix stay contiguous).
template <class Scalar>
Matrix<Scalar> rows(const Matrix<Scalar>& m, int B) {
  return Kokkos::subview(m, Kokkos::make_pair(0, B), Kokkos::ALL());
}
template <class Scalar>
Vector<Scalar> rows(const Vector<Scalar>& v, int B) {
  return Kokkos::subview(v, Kokkos::make_pair(0, B));
}
template <class Scalar>
void grow(Matrix<Scalar>& m, int B, int d, const std::string& label) {
  if (int(m.extent(0)) >= B && int(m.extent(1)) == d) return;
  m = Matrix<Scalar>();  // release before allocating the larger one
  m = Matrix<Scalar>(Kokkos::view_alloc(Kokkos::WithoutInitializing, label), B, d);
}
template <class Scalar>
void grow(Vector<Scalar>& v, int B, const std::string& label) {
  if (int(v.extent(0)) >= B) return;
  v = Vector<Scalar>();
  v = Vector<Scalar>(Kokkos::view_alloc(Kokkos::WithoutInitializing, label), B);
}
}  // namespace

template <class Scalar>
Integrator<Scalar>::Integrator(FlowSpec spec) : spec_(spec), tab_(tableau(spec.scheme)) {
  BOLTZFLOW_ASSERT(spec_.steps >= 1, "ode::Integrator: steps = " + std::to_string(spec_.steps) + " must be >= 1");
}

template <class Scalar>
void Integrator<Scalar>::reserve(int B, int d) {
  for (int i = 0; i < tab_.stages; ++i) {
    grow(y_[i], B, d, "boltzflow::ode::stage_input");
    grow(k_[i], B, d, "boltzflow::ode::stage_velocity");
    grow(s_[i], B, "boltzflow::ode::stage_divergence");
  }
  grow(gstage_, B, d, "boltzflow::ode::stage_cotangent");
}

template <class Scalar>
std::size_t Integrator<Scalar>::bytes_per_row(int d, bool taped) const {
  const std::size_t S = tab_.stages, D = d;
  std::size_t n = S * (2 * D + 1) + D;             // y_, k_, s_, gstage_
  if (taped) n += std::size_t(spec_.steps) * (1 + S) * D;  // tape_, tape_k_
  return n * sizeof(Scalar);
}

template <class Scalar>
void Integrator<Scalar>::check(const Field& v, const Mat& x, const Vec& ell, const Vec& omega,
                               const Probes& probes) const {
  const std::size_t B = x.extent(0);
  BOLTZFLOW_ASSERT(int(x.extent(1)) == v.dim(), "ode::Integrator: x has " + std::to_string(x.extent(1)) +
                                                    " columns, the field dimension is " + std::to_string(v.dim()));
  BOLTZFLOW_ASSERT(ell.extent(0) == 0 || ell.extent(0) == B, "ode::Integrator: ell must be empty or (B)");
  BOLTZFLOW_ASSERT(omega.extent(0) == 0 || omega.extent(0) == B, "ode::Integrator: omega must be empty or (B)");
  if (spec_.div == nn::DivMode::hutchinson && ell.extent(0) > 0)
    BOLTZFLOW_ASSERT(probes.extent(0) == B && probes.extent(1) >= 1 && int(probes.extent(2)) == v.dim(),
                     "ode::Integrator: Hutchinson divergence needs probes (B, K >= 1, d)");
}

// One explicit RK step: y_i = x + h Σ_{j<i} a_ij k_j, k_i = v(y_i, tn + c_i h) (and s_i = ∇·v),
// then x += h Σ b_i k_i, ell += h Σ b_i s_i, omega += h Σ b_i ‖k_i‖².
template <class Scalar>
void Integrator<Scalar>::step(const Field& v, const Mat& x, const Vec& ell, const Vec& omega, const Probes& probes,
                              int n, int B, bool tape) {
  const double hh = h(), tn = spec_.t0 + n * hh;
  const nn::DivMode mode = ell.extent(0) > 0 ? spec_.div : nn::DivMode::none;
  Stages out;
  out.n = tab_.stages;
  for (int i = 0; i < tab_.stages; ++i) {
    Mat yi = x;
    if (i > 0) {
      Stages in;
      in.n = i;
      for (int j = 0; j < i; ++j) {
        in.k[j] = out.k[j];
        in.w[j] = Scalar(hh * tab_.a[i][j]);
      }
      yi = rows(y_[i], B);
      detail::stage_input(yi, x, in);
    }
    out.k[i] = rows(tape ? tape_k_[n * tab_.stages + i] : k_[i], B);
    out.s[i] = mode == nn::DivMode::none ? Vec() : rows(s_[i], B);
    out.w[i] = Scalar(hh * tab_.b[i]);
    if (tape && taped_ws_) v.use_workspace(n * tab_.stages + i);
    v.forward(yi, Scalar(tn + tab_.c[i] * hh), mode, probes, out.k[i], out.s[i]);
    ++nfe_;
  }
  detail::finish_step(x, ell, omega, out);
}

template <class Scalar>
void Integrator<Scalar>::run(const Field& v, const Mat& x, const Vec& ell, const Vec& omega, const Probes& probes,
                             bool tape) {
  check(v, x, ell, omega, probes);
  const int B = x.extent(0), d = x.extent(1);
  // ℓ and ω only when asked for by both the spec and the caller.
  const Vec ell_used = spec_.div != nn::DivMode::none ? ell : Vec();
  const Vec omega_used = spec_.kinetic ? omega : Vec();
  reserve(B, d);
  if (tape) {
    if (int(tape_.size()) != spec_.steps) tape_.resize(spec_.steps);
    for (auto& m : tape_) grow(m, B, d, "boltzflow::ode::tape");
    if (int(tape_k_.size()) != spec_.steps * tab_.stages) tape_k_.resize(spec_.steps * tab_.stages);
    for (auto& m : tape_k_) grow(m, B, d, "boltzflow::ode::tape_velocity");
    probes_ = probes;
    taped_B_ = B;
    taped_ell_ = ell_used.extent(0) > 0;
    taped_omega_ = omega_used.extent(0) > 0;
    taped_ws_ = tape_ws_;
    // One copy when not taping them: copies kept by an earlier solve would exceed the budget.
    v.keep_workspaces(taped_ws_ ? evaluations_per_solve() : 1);
  } else {
    v.use_workspace(0);
  }
  for (int n = 0; n < spec_.steps; ++n) {
    if (tape) Kokkos::deep_copy(rows(tape_[n], B), x);
    step(v, x, ell_used, omega_used, probes, n, B, tape);
  }
}

template <class Scalar>
void Integrator<Scalar>::integrate(const Field& v, const Mat& x, const Vec& ell, const Vec& omega,
                                   const Probes& probes) {
  run(v, x, ell, omega, probes, false);
}

template <class Scalar>
void Integrator<Scalar>::forward(const Field& v, const Mat& x, const Vec& ell, const Vec& omega,
                                 const Probes& probes) {
  run(v, x, ell, omega, probes, true);
}

// Reverse sweep through one step. With ybar_i the cotangent of stage input y_i and kbar_i that
// of k_i: kbar_i = h b_i (gx + 2 gomega k_i) + Σ_{l>i} h a_li ybar_l, sbar_i = h b_i gell,
// ybar_i = (∂(k_i, s_i)/∂y_i)ᵀ (kbar_i, sbar_i) (one vjp), and ∂L/∂x_n = gx + Σ_i ybar_i.
// The stage inputs y_i are recombined from the taped x_n and k_j (exactly the forward's).
template <class Scalar>
void Integrator<Scalar>::step_adjoint(const Field& v, int n, const Mat& gx, const Vec& gell, const Vec& gomega,
                                      const Vec& gparams, int B) {
  const double hh = h(), tn = spec_.t0 + n * hh;
  const int S = tab_.stages;
  const bool with_ell = gell.extent(0) > 0;
  const Mat xn = rows(tape_[n], B);
  Mat y[max_stages], k[max_stages], kb[max_stages];
  Vec sb[max_stages];
  for (int i = 0; i < S; ++i) {
    k[i] = rows(tape_k_[n * S + i], B);
    kb[i] = rows(k_[i], B);
    sb[i] = with_ell ? rows(s_[i], B) : Vec();
    y[i] = xn;
    if (i > 0) {
      Stages in;
      in.n = i;
      for (int j = 0; j < i; ++j) {
        in.k[j] = k[j];
        in.w[j] = Scalar(hh * tab_.a[i][j]);
      }
      y[i] = rows(y_[i], B);
      detail::stage_input(y[i], xn, in);
    }
  }
  // Direct cotangents of the step output.
  for (int i = 0; i < S; ++i) {
    const Scalar w = Scalar(hh * tab_.b[i]);
    detail::seed_stage(kb[i], w, gx, gomega, k[i]);
    if (with_ell) detail::scale(sb[i], w, gell);
  }
  const nn::DivMode mode = with_ell ? spec_.div : nn::DivMode::none;
  const Mat ybar = rows(gstage_, B);
  for (int i = S - 1; i >= 0; --i) {
    if (taped_ws_) v.use_workspace(n * S + i);
    v.vjp(y[i], Scalar(tn + tab_.c[i] * hh), mode, probes_, kb[i], sb[i], ybar, gparams);
    ++nfe_;
    Stages earlier;
    earlier.n = i;
    for (int j = 0; j < i; ++j) {
      earlier.k[j] = kb[j];
      earlier.w[j] = Scalar(hh * tab_.a[i][j]);
    }
    detail::scatter_stage(gx, ybar, earlier);
  }
}

template <class Scalar>
void Integrator<Scalar>::backward(const Field& v, const Mat& gx, const Vec& gell, const Vec& gomega,
                                  const Vec& gparams) {
  BOLTZFLOW_ASSERT(taped_B_ >= 0, "ode::Integrator::backward without a preceding forward()");
  const int B = taped_B_, d = v.dim();
  BOLTZFLOW_ASSERT(int(gx.extent(0)) == B && int(gx.extent(1)) == d, "ode::Integrator::backward: gx must be (B, d)");
  BOLTZFLOW_ASSERT(gell.extent(0) == 0 || int(gell.extent(0)) == B, "ode::Integrator::backward: gell must be empty or (B)");
  BOLTZFLOW_ASSERT(gomega.extent(0) == 0 || int(gomega.extent(0)) == B,
                   "ode::Integrator::backward: gomega must be empty or (B)");
  BOLTZFLOW_ASSERT(gparams.extent(0) == v.num_params(), "ode::Integrator::backward: gparams must be (num_params)");
  reserve(B, d);
  // ℓ and ω enter L only additively, so their cotangents are the same at every step.
  const Vec gell_used = taped_ell_ ? gell : Vec();
  const Vec gomega_used = taped_omega_ ? gomega : Vec();
  for (int n = spec_.steps - 1; n >= 0; --n) step_adjoint(v, n, gx, gell_used, gomega_used, gparams, B);
  v.use_workspace(0);
}

template class Integrator<double>;
template class Integrator<float>;

}  // namespace boltzflow::ode
