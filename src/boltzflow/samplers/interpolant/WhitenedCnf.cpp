#include "boltzflow/samplers/interpolant/WhitenedCnf.hpp"

#include <algorithm>
#include <cmath>

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

WhitenedCnf::WhitenedCnf(std::unique_ptr<nn::VelocityMlp<Real>> field, ode::FlowSpec spec, int chunk)
    : field_(std::move(field)),
      spec_(spec),
      chunk_(chunk),
      fwd_(oriented(spec, 0.0, 1.0)),
      bwd_(oriented(spec, 1.0, 0.0)),
      mean_(field_->dim(), 0.0),
      std_(field_->dim(), 1.0) {
  BOLTZFLOW_ASSERT(spec.div == nn::DivMode::exact, "WhitenedCnf: densities need the exact divergence");
  set_whitening(mean_, std_);
}

void WhitenedCnf::set_whitening(const std::vector<double>& mean, const std::vector<double>& std) {
  BOLTZFLOW_ASSERT(int(mean.size()) == dim() && int(std.size()) == dim(), "WhitenedCnf: whitening size");
  mean_ = mean;
  std_ = std;
  Vector<Real, HostSpace> hm("mean", dim()), hs("std", dim());
  for (int j = 0; j < dim(); ++j) {
    hm(j) = mean[j];
    hs(j) = std[j];
  }
  dmean_ = Kokkos::create_mirror_view_and_copy(MemSpace(), hm);
  dstd_ = Kokkos::create_mirror_view_and_copy(MemSpace(), hs);
}

void WhitenedCnf::fit_whitening(const Comm& comm, const Particles& rows, double min_std) {
  const int d = dim();
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), rows);
  Vector<double, HostSpace> acc("moments", 2 * d + 1);
  for (std::size_t i = 0; i < h.extent(0); ++i)
    for (int j = 0; j < d; ++j) {
      acc(j) += h(i, j);
      acc(d + j) += h(i, j) * h(i, j);
    }
  acc(2 * d) = double(h.extent(0));
  comm.allreduce_sum(acc);
  const double n = acc(2 * d);
  if (!(n > 0)) throw NumericalError("WhitenedCnf: no data rows to fit the whitening");
  std::vector<double> m(d), s(d);
  for (int j = 0; j < d; ++j) {
    m[j] = acc(j) / n;
    s[j] = std::max(min_std, std::sqrt(std::max(0.0, acc(d + j) / n - m[j] * m[j])));
    // Overflowing or NaN moments would whiten every row to 0 (or NaN) and train on nothing.
    if (!std::isfinite(m[j]) || !std::isfinite(s[j]) || !std::isfinite(acc(d + j)))
      throw NumericalError("WhitenedCnf: the training rows' mean/std of coordinate " + std::to_string(j) +
                           " are not finite (mean " + std::to_string(m[j]) + ", second moment " +
                           std::to_string(acc(d + j) / n) + ")");
  }
  set_whitening(m, s);
}

double WhitenedCnf::log_det_whitening() const {
  double s = 0;
  for (double v : std_) s += std::log(v);
  return s;
}

void WhitenedCnf::whiten(const Particles& x, const Particles& y) const {
  const auto m = dmean_, s = dstd_;
  const int d = dim();
  Kokkos::parallel_for(
      "boltzflow::interpolant::whiten", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)), KOKKOS_LAMBDA(const int i) {
        for (int j = 0; j < d; ++j) y(i, j) = (x(i, j) - m(j)) / s(j);
      });
}

void WhitenedCnf::sample(std::uint64_t seed, Stream stream, std::uint64_t first_id, std::uint32_t step,
                         const Particles& x, const Scalars& log_q) {
  const int d = dim();
  const int n = x.extent(0);
  const Rng rng(seed, stream);
  const auto m = dmean_, s = dstd_;
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
    Kokkos::parallel_for(
        "boltzflow::interpolant::unwhiten", Kokkos::RangePolicy<ExecSpace>(0, c), KOKKOS_LAMBDA(const int i) {
          for (int j = 0; j < d; ++j) xc(i, j) = m(j) + s(j) * xc(i, j);
          lq(i) -= ell(i) + logdet;
        });
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
