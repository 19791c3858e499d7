#include "boltzflow/samplers/fisher_rao/Curve.hpp"

#include <cmath>
#include <string>
#include <tuple>

#include "boltzflow/core/Math.hpp"

namespace boltzflow::fisher_rao {

void Curve::reserve(std::size_t n, int d) {
  if (dt_.extent(0) >= n && int(grad_.extent(1)) == d) return;
  const auto A = [](const std::string& s) { return Kokkos::view_alloc(Kokkos::WithoutInitializing, s); };
  f_ = Vec(A("boltzflow::fisher_rao::curve_f"), n);
  dt_ = Vec(A("boltzflow::fisher_rao::curve_dt"), n);
  lap_buf_ = Vec(A("boltzflow::fisher_rao::curve_lap"), n);
  grad_ = Mat(A("boltzflow::fisher_rao::curve_grad"), n, d);
  if (m_.psi) {
    psi_f_ = Vec(A("boltzflow::fisher_rao::psi_f"), n);
    psi_dt_ = Vec(A("boltzflow::fisher_rao::psi_dt"), n);
    psi_lap_ = Vec(A("boltzflow::fisher_rao::psi_lap"), n);
    psi_grad_ = Mat(A("boltzflow::fisher_rao::psi_grad"), n, d);
    gpsi_f_ = Vec(A("boltzflow::fisher_rao::gpsi_f"), n);
    gpsi_dt_ = Vec(A("boltzflow::fisher_rao::gpsi_dt"), n);
    gpsi_lap_ = Vec(A("boltzflow::fisher_rao::gpsi_lap"), n);
    gpsi_grad_ = Mat(A("boltzflow::fisher_rao::gpsi_grad"), n, d);
    gx_ = Mat(A("boltzflow::fisher_rao::psi_gx"), n, d);
  }
}

const CurveJets& Curve::jets(const Mat& x, double t, const TargetJets& tj, bool laplacian) {
  const std::size_t n = x.extent(0);
  const int d = x.extent(1);
  reserve(n, d);
  lap_ = laplacian;
  const auto rows = std::make_pair(std::size_t(0), n);
  out_.f = Kokkos::subview(f_, rows);
  out_.dt = Kokkos::subview(dt_, rows);
  out_.grad = Kokkos::subview(grad_, rows, Kokkos::ALL());
  out_.lap = laplacian ? Vec(Kokkos::subview(lap_buf_, rows)) : Vec();
  const auto f = out_.f, dt = out_.dt, lap = out_.lap;
  const auto grad = out_.grad;
  const auto U = tj.U, lapU = tj.lap;
  const auto gU = tj.grad;
  const bool has_psi = bool(m_.psi);
  Vec pf, pdt, plap;
  Mat pgrad;
  if (has_psi) {
    pf = Kokkos::subview(psi_f_, rows);
    pdt = Kokkos::subview(psi_dt_, rows);
    plap = laplacian ? Vec(Kokkos::subview(psi_lap_, rows)) : Vec();
    pgrad = Kokkos::subview(psi_grad_, rows, Kokkos::ALL());
    m_.psi->evaluate(x, t, {true, true, laplacian}, pf, pgrad, pdt, plap);
  }

  if (m_.kind() == Interpolation::gradient_flow) {
    std::tie(g_, gdot_) = m_.g->eval(t);
    const auto w = log_target_weight(m_.config().weight, t, g_, gdot_);
    const double a = w.a, adot = w.adot;
    Kokkos::parallel_for(
        "boltzflow::fisher_rao::curve_jets_gf", Kokkos::RangePolicy<ExecSpace>(0, n), KOKKOS_LAMBDA(const int b) {
          f(b) = t * pf(b) - a * U(b);
          dt(b) = pf(b) + t * pdt(b) - adot * U(b);
          for (int i = 0; i < d; ++i) grad(b, i) = t * pgrad(b, i) - a * gU(b, i);
          if (laplacian) lap(b) = t * plap(b) - a * lapU(b);
        });
  } else {
    const double s2 = m_.config().base_sigma * m_.config().base_sigma;
    const double log_norm = 0.5 * d * std::log(2 * constants::pi * s2);
    const double h = t * (1 - t), hdot = 1 - 2 * t;
    Kokkos::parallel_for(
        "boltzflow::fisher_rao::curve_jets_interp", Kokkos::RangePolicy<ExecSpace>(0, n), KOKKOS_LAMBDA(const int b) {
          double r2 = 0;
          for (int i = 0; i < d; ++i) r2 += x(b, i) * x(b, i);
          const double f0 = -0.5 * r2 / s2 - log_norm;
          f(b) = (1 - t) * f0 - t * U(b) + (has_psi ? h * pf(b) : 0.0);
          dt(b) = -U(b) - f0 + (has_psi ? hdot * pf(b) + h * pdt(b) : 0.0);
          for (int i = 0; i < d; ++i)
            grad(b, i) = -(1 - t) * x(b, i) / s2 - t * gU(b, i) + (has_psi ? h * pgrad(b, i) : 0.0);
          if (laplacian) lap(b) = -(1 - t) * d / s2 - t * lapU(b) + (has_psi ? h * plap(b) : 0.0);
        });
  }
  return out_;
}

void Curve::vjp(const Mat& x, double t, const TargetJets& tj, const Vec& c_dt, const Mat& c_grad, const Vec& c_lap) {
  const std::size_t n = x.extent(0);
  const int d = x.extent(1);
  const bool laplacian = lap_;
  const auto rows = std::make_pair(std::size_t(0), n);
  const bool gf = m_.kind() == Interpolation::gradient_flow;
  if (m_.psi) {
    // ψ enters with weight (1, t) [gf] or (h', h) [learned] for (ψ, ∂ₜψ) and t [gf] or h for ∇ψ, Δψ.
    const double w0 = gf ? 1.0 : 1 - 2 * t, w1 = gf ? t : t * (1 - t);
    const Vec gf_ = Kokkos::subview(gpsi_f_, rows), gdt = Kokkos::subview(gpsi_dt_, rows);
    const Vec glap = laplacian ? Vec(Kokkos::subview(gpsi_lap_, rows)) : Vec();
    const Mat ggrad = Kokkos::subview(gpsi_grad_, rows, Kokkos::ALL());
    Kokkos::parallel_for(
        "boltzflow::fisher_rao::curve_cot_psi", Kokkos::RangePolicy<ExecSpace>(0, n), KOKKOS_LAMBDA(const int b) {
          gf_(b) = w0 * c_dt(b);
          gdt(b) = w1 * c_dt(b);
          for (int i = 0; i < d; ++i) ggrad(b, i) = w1 * c_grad(b, i);
          if (laplacian) glap(b) = w1 * c_lap(b);
        });
    const Mat gx = Kokkos::subview(gx_, rows, Kokkos::ALL());
    m_.psi->vjp(x, t, {true, true, laplacian}, gf_, ggrad, gdt, glap, gx, m_.grad("psi"));
  }
  if (gf) {
    // a(t) and a'(t) enter as a ∇L, a ΔL and a' L (L = −U); the chain rule to (g, g') is the weight's.
    const auto U = tj.U, lapU = tj.lap;
    const auto gU = tj.grad;
    double da = 0, dadot = 0;
    Kokkos::parallel_reduce(
        "boltzflow::fisher_rao::curve_cot_schedule", Kokkos::RangePolicy<ExecSpace>(0, n),
        KOKKOS_LAMBDA(const int b, double& sa, double& sadot) {
          double s = 0;
          for (int i = 0; i < d; ++i) s -= c_grad(b, i) * gU(b, i);
          if (laplacian) s -= c_lap(b) * lapU(b);
          sa += s;
          sadot -= c_dt(b) * U(b);
        },
        da, dadot);
    const auto w = log_target_weight(m_.config().weight, t, g_, gdot_);
    m_.g->vjp(t, w.da_dg * da + w.dadot_dg * dadot, w.dadot_dgdot * dadot, m_.grad("g"));
  }
}

}  // namespace boltzflow::fisher_rao
