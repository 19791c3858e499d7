#include "boltzflow/samplers/cnf/GaussianBase.hpp"

#include <cmath>

#include "boltzflow/core/Error.hpp"

namespace boltzflow::cnf {

namespace {
// The mean as a device View of size d (zeros when none is given).
Vector<Real> mean_view(const std::vector<double>& mean, int d) {
  BOLTZFLOW_ASSERT(mean.empty() || int(mean.size()) == d, "cnf::GaussianBase: mean has the wrong size");
  Vector<Real> m("boltzflow::cnf::base_mean", d);
  if (!mean.empty()) {
    auto h = Kokkos::create_mirror_view(m);
    for (int j = 0; j < d; ++j) h(j) = mean[j];
    Kokkos::deep_copy(m, h);
  }
  return m;
}
}  // namespace

void GaussianBase::sample(std::uint64_t seed, Stream stream, std::uint32_t step, std::uint64_t first_id,
                          const Particles& z) const {
  const int d = z.extent(1);
  const auto m = mean_view(mean, d);
  const Rng rng(seed, stream);
  const double s = scale;
  Kokkos::parallel_for(
      "boltzflow::cnf::base_sample", Kokkos::RangePolicy<ExecSpace>(0, z.extent(0)), KOKKOS_LAMBDA(const int i) {
        for (int j = 0; j < d; ++j) z(i, j) = m(j) + s * rng.normal(first_id + i, step, j);
      });
}

void GaussianBase::log_density(const Particles& z, const Scalars& out) const {
  const int d = z.extent(1);
  const auto m = mean_view(mean, d);
  const double inv2s2 = 0.5 / (scale * scale);
  const double c = -0.5 * d * std::log(2.0 * constants::pi * scale * scale);
  Kokkos::parallel_for(
      "boltzflow::cnf::base_log_density", Kokkos::RangePolicy<ExecSpace>(0, z.extent(0)), KOKKOS_LAMBDA(const int i) {
        double r2 = 0;
        for (int j = 0; j < d; ++j) r2 += (z(i, j) - m(j)) * (z(i, j) - m(j));
        out(i) = c - r2 * inv2s2;
      });
}

}  // namespace boltzflow::cnf
