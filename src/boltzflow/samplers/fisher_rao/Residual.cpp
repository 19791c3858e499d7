#include "boltzflow/samplers/fisher_rao/Residual.hpp"

#include <string>

#include "boltzflow/samplers/fisher_rao/GradientFlowVelocity.hpp"

namespace boltzflow::fisher_rao {

void continuity_residual(const Vector<Real>& dt, double C, const Matrix<Real>& grad, const Matrix<Real>& v,
                         const Vector<Real>& div, const Vector<Real>& r) {
  const int d = grad.extent(1);
  Kokkos::parallel_for(
      "boltzflow::fisher_rao::residual", Kokkos::RangePolicy<ExecSpace>(0, r.extent(0)), KOKKOS_LAMBDA(const int b) {
        double s = dt(b) + C + div(b);
        for (int i = 0; i < d; ++i) s += grad(b, i) * v(b, i);
        r(b) = s;
      });
}

void ResidualLoss::reserve(std::size_t n, int d) {
  if (r_buf_.extent(0) >= n) return;
  const auto A = [](const std::string& s) { return Kokkos::view_alloc(Kokkos::WithoutInitializing, s); };
  r_buf_ = Vec(A("boltzflow::fisher_rao::r"), n);
  div_ = Vec(A("boltzflow::fisher_rao::div"), n);
  w_ = Vec(A("boltzflow::fisher_rao::w"), n);
  c_dt_ = Vec(A("boltzflow::fisher_rao::c_dt"), n);
  c_lap_ = Vec(A("boltzflow::fisher_rao::c_lap"), n);
  c_div_ = Vec(A("boltzflow::fisher_rao::c_div"), n);
  v_ = Mat(A("boltzflow::fisher_rao::v"), n, d);
  c_grad_ = Mat(A("boltzflow::fisher_rao::c_grad"), n, d);
  c_v_ = Mat(A("boltzflow::fisher_rao::c_v"), n, d);
  gx_ = Mat(A("boltzflow::fisher_rao::gx"), n, d);
}

double ResidualLoss::evaluate(const Mat& x, double t, const TargetJets& tj, bool grads) {
  const std::size_t n = x.extent(0);
  const int d = x.extent(1);
  reserve(n, d);
  const auto rows = std::make_pair(std::size_t(0), n);
  const auto sub = [&](const Vec& a) { return Vec(Kokkos::subview(a, rows)); };
  const auto subm = [&](const Mat& a) { return Mat(Kokkos::subview(a, rows, Kokkos::ALL())); };
  r_ = sub(r_buf_);
  const Vec r = r_, div = sub(div_), w = sub(w_);
  const Mat v = subm(v_);

  const bool gf = m_.kind() == Interpolation::gradient_flow;
  const auto& j = curve_.jets(x, t, tj, gf);
  const double C = m_.c_value(t);
  const double b = gf ? m_.config().vp.b(t) : 0.0;
  if (gf)
    gradient_flow_velocity(x, j.grad, j.lap, b, v, div);
  else
    m_.v->forward(x, t, nn::DivMode::exact, {}, v, div);
  continuity_residual(j.dt, C, j.grad, v, div, r);

  const bool l1 = loss_ == LossKind::l1_l2;
  double total = 0, wsum = 0;
  Kokkos::parallel_reduce(
      "boltzflow::fisher_rao::residual_loss", Kokkos::RangePolicy<ExecSpace>(0, n),
      KOKKOS_LAMBDA(const int i, double& s, double& sw) {
        const double ri = r(i);
        const double sign = ri > 0 ? 1.0 : ri < 0 ? -1.0 : 0.0;
        s += ri * ri + (l1 ? kmath::fabs(ri) : 0.0);
        w(i) = 2 * ri + (l1 ? sign : 0.0);
        sw += w(i);
      },
      total, wsum);
  if (!grads) return total;

  const Vec c_dt = sub(c_dt_), c_lap = sub(c_lap_), c_div = sub(c_div_);
  const Mat c_grad = subm(c_grad_), c_v = subm(c_v_);
  const auto grad_f = j.grad;
  Kokkos::parallel_for(
      "boltzflow::fisher_rao::residual_cotangents", Kokkos::RangePolicy<ExecSpace>(0, n), KOKKOS_LAMBDA(const int i) {
        c_dt(i) = w(i);
        c_lap(i) = -b * w(i);
        c_div(i) = w(i);
        for (int k = 0; k < d; ++k) {
          c_grad(i, k) = gf ? -b * w(i) * (x(i, k) + 2 * grad_f(i, k)) : w(i) * v(i, k);
          c_v(i, k) = w(i) * grad_f(i, k);
        }
      });
  if (!gf) m_.v->vjp(x, t, nn::DivMode::exact, {}, c_v, c_div, subm(gx_), m_.grad("v"));
  if (m_.c) m_.c->vjp(t, wsum, 0.0, m_.grad("c"));
  curve_.vjp(x, t, tj, c_dt, c_grad, c_lap);
  return total;
}

}  // namespace boltzflow::fisher_rao
