#include "boltzflow/samplers/fisher_rao/GradientFlowVelocity.hpp"

#include <stdexcept>

namespace boltzflow::fisher_rao {

void gradient_flow_velocity(const Matrix<Real>& x, const Matrix<Real>& grad_f, const Vector<Real>& lap_f, double b,
                            const Matrix<Real>& v, const Vector<Real>& div) {
  const int d = x.extent(1);
  const bool with_div = div.extent(0) > 0;
  Kokkos::parallel_for(
      "boltzflow::fisher_rao::gf_velocity", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)), KOKKOS_LAMBDA(const int i) {
        for (int j = 0; j < d; ++j) v(i, j) = -b * (x(i, j) + grad_f(i, j));
        if (with_div) div(i) = -b * (d + lap_f(i));
      });
}

void GradientFlowVelocity::forward(const Mat& x, Real t, nn::DivMode mode, const Probes&, const Mat& v,
                                   const Vec& div) const {
  if (mode == nn::DivMode::hutchinson)
    throw std::logic_error("GradientFlowVelocity: only exact divergence (sampling densities are exact)");
  const bool with_div = mode == nn::DivMode::exact;
  tj_.evaluate(target_, x, with_div);
  const auto& j = curve_.jets(x, t, tj_, with_div);
  gradient_flow_velocity(x, j.grad, j.lap, curve_.model().config().vp.b(t), v, with_div ? div : Vec());
}

void GradientFlowVelocity::vjp(const Mat&, Real, nn::DivMode, const Probes&, const Mat&, const Vec&, const Mat&,
                               const Vec&) const {
  throw std::logic_error("GradientFlowVelocity::vjp: not provided (needs Hessian-vector products of the target)");
}

}  // namespace boltzflow::fisher_rao
