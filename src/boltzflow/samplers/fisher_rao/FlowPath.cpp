#include "boltzflow/samplers/fisher_rao/FlowPath.hpp"

#include <cmath>

#include "boltzflow/core/Math.hpp"
#include "boltzflow/ode/Integrator.hpp"

namespace boltzflow::fisher_rao {

void log_base(const Particles& z, double s, const Scalars& out) {
  const int d = z.extent(1);
  const double c = 0.5 * d * std::log(2 * constants::pi * s * s), s2 = s * s;
  Kokkos::parallel_for(
      "boltzflow::fisher_rao::log_base", Kokkos::RangePolicy<ExecSpace>(0, z.extent(0)), KOKKOS_LAMBDA(const int i) {
        double r2 = 0;
        for (int k = 0; k < d; ++k) r2 += z(i, k) * z(i, k);
        out(i) = -0.5 * r2 / s2 - c;
      });
}

void draw_base(const Rng& rng, std::uint64_t first, std::uint32_t step, double s, const Particles& x) {
  const int d = x.extent(1);
  Kokkos::parallel_for(
      "boltzflow::fisher_rao::draw_base", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)), KOKKOS_LAMBDA(const int i) {
        for (int k = 0; k < d; ++k) x(i, k) = s * rng.normal(first + i, step, k);
      });
}

long integrate_path(const nn::VelocityField<Real>& v, ode::Scheme scheme, double ta, double tb, int steps,
                    nn::DivMode div, const Particles& x, const Scalars& ell, const Scalars& omega,
                    const std::function<void(int)>& record) {
  long nfe = 0;
  for (int k = 0; k < steps; ++k) {
    ode::FlowSpec spec;
    spec.scheme = scheme;
    spec.steps = 1;
    spec.t0 = ta + (tb - ta) * double(k) / steps;
    spec.t1 = ta + (tb - ta) * double(k + 1) / steps;
    spec.div = div;
    spec.kinetic = omega.extent(0) > 0;
    ode::Integrator<Real> integ(spec);
    integ.integrate(v, x, ell, omega);
    nfe += integ.nfe();
    if (record) record(k + 1);
  }
  return nfe;
}

}  // namespace boltzflow::fisher_rao
