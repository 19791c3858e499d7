#include "boltzflow/samplers/interpolant/WhitenedCnf.hpp"

#include <algorithm>

#include "boltzflow/core/Error.hpp"

namespace boltzflow::interpolant {

namespace {
ode::FlowSpec oriented(ode::FlowSpec s, double t0, double t1) {
  s.t0 = t0;
  s.t1 = t1;
  s.kinetic = false;
  return s;
}
}  // namespace

WhitenedCnf::WhitenedCnf(std::unique_ptr<nn::VelocityMlp<Real>> field, ode::FlowSpec spec, WhiteningKind whitening,
                         int chunk)
    : field_(std::move(field)),
      spec_(spec),
      chunk_(chunk),
      fwd_(oriented(spec, 0.0, 1.0)),
      bwd_(oriented(spec, 1.0, 0.0)),
      white_(field_->dim(), whitening) {
  BOLTZFLOW_ASSERT(spec.div == nn::DivMode::exact, "WhitenedCnf: densities need the exact divergence");
}

void WhitenedCnf::sample(std::uint64_t seed, Stream stream, std::uint64_t first_id, std::uint32_t step,
                         const Particles& x, const Scalars& log_q) {
  const int d = dim();
  const int n = x.extent(0);
  const Rng rng(seed, stream);
  const double logdet = log_det_whitening();
  for (int c0 = 0; c0 < n; c0 += chunk_) {
    const int c = std::min(chunk_, n - c0);
    const auto rows = Kokkos::make_pair(c0, c0 + c);
    const Particles xc(Kokkos::subview(x, rows, Kokkos::ALL()));
    const Scalars lq(Kokkos::subview(log_q, rows));
    Kokkos::parallel_for(
        "boltzflow::interpolant::base_draw", Kokkos::RangePolicy<ExecSpace>(0, c), KOKKOS_LAMBDA(const int i) {
          double sq = 0;
          for (int j = 0; j < d; ++j) {
            const double z = rng.normal(first_id + c0 + i, step, j);
            xc(i, j) = z;
            sq += z * z;
          }
          lq(i) = -0.5 * sq - 0.5 * d * constants::log_2pi;
        });
    if (int(ell_.extent(0)) < c) ell_ = Scalars("boltzflow::interpolant::ell", c);
    const Scalars ell(Kokkos::subview(ell_, Kokkos::make_pair(0, c)));
    Kokkos::deep_copy(ell, 0.0);
    fwd_.integrate(*field_, xc, ell, Scalars());
    white_.unwhiten(xc, xc);
    Kokkos::parallel_for(
        "boltzflow::interpolant::log_q", Kokkos::RangePolicy<ExecSpace>(0, c),
        KOKKOS_LAMBDA(const int i) { lq(i) -= ell(i) + logdet; });
  }
}

void WhitenedCnf::log_density(const Particles& x, const Scalars& log_q) {
  const int d = dim();
  const int n = x.extent(0);
  const double logdet = log_det_whitening();
  for (int c0 = 0; c0 < n; c0 += chunk_) {
    const int c = std::min(chunk_, n - c0);
    if (int(y_.extent(0)) < c) {
      y_ = Particles("boltzflow::interpolant::y", c, d);
      ell_ = Scalars("boltzflow::interpolant::ell", c);
    }
    const auto rows = Kokkos::make_pair(c0, c0 + c);
    const Particles y(Kokkos::subview(y_, Kokkos::make_pair(0, c), Kokkos::ALL()));
    const Scalars ell(Kokkos::subview(ell_, Kokkos::make_pair(0, c)));
    whiten(Particles(Kokkos::subview(x, rows, Kokkos::ALL())), y);
    Kokkos::deep_copy(ell, 0.0);
    bwd_.integrate(*field_, y, ell, Scalars());  // ℓ = ∫₁⁰ ∇·v dt = −∫₀¹ ∇·v dt
    const Scalars lq(Kokkos::subview(log_q, rows));
    Kokkos::parallel_for(
        "boltzflow::interpolant::log_density", Kokkos::RangePolicy<ExecSpace>(0, c), KOKKOS_LAMBDA(const int i) {
          double sq = 0;
          for (int j = 0; j < d; ++j) sq += y(i, j) * y(i, j);
          lq(i) = -0.5 * sq - 0.5 * d * constants::log_2pi + ell(i) - logdet;
        });
  }
}

}  // namespace boltzflow::interpolant
