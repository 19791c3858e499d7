#include "boltzflow/ode/StageKernels.hpp"

namespace boltzflow::ode::detail {

template <class Scalar>
void stage_input(const Matrix<Scalar>& y, const Matrix<Scalar>& x, const Stages<Scalar>& st) {
  const int d = x.extent(1);
  Kokkos::parallel_for(
      "boltzflow::ode::stage_input", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)), KOKKOS_LAMBDA(const int b) {
        for (int j = 0; j < d; ++j) {
          Scalar acc = x(b, j);
          for (int i = 0; i < st.n; ++i) acc += st.w[i] * st.k[i](b, j);
          y(b, j) = acc;
        }
      });
}

template <class Scalar>
void finish_step(const Matrix<Scalar>& x, const Vector<Scalar>& ell, const Vector<Scalar>& omega,
                 const Stages<Scalar>& st) {
  const int d = x.extent(1);
  const bool with_ell = ell.extent(0) > 0, with_omega = omega.extent(0) > 0;
  Kokkos::parallel_for(
      "boltzflow::ode::finish_step", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)), KOKKOS_LAMBDA(const int b) {
        Scalar kin = 0;
        for (int i = 0; i < st.n; ++i) {
          Scalar sq = 0;
          for (int j = 0; j < d; ++j) sq += st.k[i](b, j) * st.k[i](b, j);
          kin += st.w[i] * sq;
        }
        for (int j = 0; j < d; ++j) {
          Scalar dx = 0;
          for (int i = 0; i < st.n; ++i) dx += st.w[i] * st.k[i](b, j);
          x(b, j) += dx;
        }
        if (with_ell) {
          Scalar dl = 0;
          for (int i = 0; i < st.n; ++i) dl += st.w[i] * st.s[i](b);
          ell(b) += dl;
        }
        if (with_omega) omega(b) += kin;
      });
}

template <class Scalar>
void seed_stage(const Matrix<Scalar>& kbar, Scalar w, const Matrix<Scalar>& gx, const Vector<Scalar>& gomega,
                const Matrix<Scalar>& k) {
  const int d = gx.extent(1);
  const bool with_omega = gomega.extent(0) > 0;
  Kokkos::parallel_for(
      "boltzflow::ode::seed_stage", Kokkos::RangePolicy<ExecSpace>(0, gx.extent(0)), KOKKOS_LAMBDA(const int b) {
        if (!with_omega) {  // k is not read: it may be unset (and kbar may alias it)
          for (int j = 0; j < d; ++j) kbar(b, j) = w * gx(b, j);
          return;
        }
        const Scalar go2 = 2 * gomega(b);  // d‖k‖²/dk = 2k
        for (int j = 0; j < d; ++j) kbar(b, j) = w * (gx(b, j) + go2 * k(b, j));
      });
}

template <class Scalar>
void scatter_stage(const Matrix<Scalar>& gx, const Matrix<Scalar>& ybar, const Stages<Scalar>& st) {
  const int d = gx.extent(1);
  Kokkos::parallel_for(
      "boltzflow::ode::scatter_stage", Kokkos::RangePolicy<ExecSpace>(0, gx.extent(0)), KOKKOS_LAMBDA(const int b) {
        for (int j = 0; j < d; ++j) {
          const Scalar g = ybar(b, j);
          for (int i = 0; i < st.n; ++i) st.k[i](b, j) += st.w[i] * g;
          gx(b, j) += g;
        }
      });
}

template <class Scalar>
void scale(const Vector<Scalar>& out, Scalar w, const Vector<Scalar>& in) {
  Kokkos::parallel_for(
      "boltzflow::ode::scale", Kokkos::RangePolicy<ExecSpace>(0, in.extent(0)),
      KOKKOS_LAMBDA(const int b) { out(b) = w * in(b); });
}

#define BOLTZFLOW_ODE_INSTANTIATE(S)                                                                         \
  template void stage_input<S>(const Matrix<S>&, const Matrix<S>&, const Stages<S>&);                     \
  template void finish_step<S>(const Matrix<S>&, const Vector<S>&, const Vector<S>&, const Stages<S>&);   \
  template void seed_stage<S>(const Matrix<S>&, S, const Matrix<S>&, const Vector<S>&, const Matrix<S>&); \
  template void scatter_stage<S>(const Matrix<S>&, const Matrix<S>&, const Stages<S>&);                   \
  template void scale<S>(const Vector<S>&, S, const Vector<S>&);
BOLTZFLOW_ODE_INSTANTIATE(double)
BOLTZFLOW_ODE_INSTANTIATE(float)
#undef BOLTZFLOW_ODE_INSTANTIATE

}  // namespace boltzflow::ode::detail
