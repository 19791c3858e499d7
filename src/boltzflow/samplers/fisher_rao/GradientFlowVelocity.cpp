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

std::size_t GradientFlowVelocity::workspace_bytes_per_particle(nn::DivMode mode, int) const {
  const bool lap = mode == nn::DivMode::exact;
  const int d = dim();
  const auto& psi = curve_.model().psi;
  const std::size_t net = psi ? psi->workspace_bytes_per_particle({true, true, lap}) : 0;
  // TargetJets (U, ∇U, ΔU) and the curve's per-row buffers (5 scalars and 4 d-rows, both doubled
  // for the cotangents the sampler never uses but the Curve sizes alike).
  return net + (2 + d) * sizeof(Real) + 2 * (5 + 4 * std::size_t(d)) * sizeof(Real);
}

}  // namespace boltzflow::fisher_rao
