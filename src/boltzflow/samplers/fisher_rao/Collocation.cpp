#include "boltzflow/samplers/fisher_rao/Collocation.hpp"

#include <algorithm>

#include "boltzflow/samplers/fisher_rao/Streams.hpp"

namespace boltzflow::fisher_rao {

std::vector<TimeGroup> BoxOu::draw(const Decomposition& dec, std::uint64_t seed, std::uint32_t iter,
                                   const Particles& x) const {
  const std::int64_t per = dec.global / groups;  // the caller checks divisibility
  const Rng trng(seed, stream_time);
  std::vector<TimeGroup> out;
  std::vector<double> t_row;  // time of every local row
  t_row.reserve(dec.local);
  for (std::int64_t j = dec.offset / per; j < groups && j * per < dec.offset + dec.local; ++j) {
    const std::int64_t a = std::max(j * per, dec.offset), b = std::min((j + 1) * per, dec.offset + dec.local);
    if (b <= a) continue;
    const double t = t_min + (1.0 - t_min) * (double(j) + trng.uniform(std::uint64_t(j), iter, 0)) / double(groups);
    out.push_back({t, std::size_t(a - dec.offset), std::size_t(b - dec.offset)});
    t_row.insert(t_row.end(), std::size_t(b - a), t);
  }
  Vector<Real, HostSpace> ht("t_row", t_row.size());
  for (std::size_t i = 0; i < t_row.size(); ++i) ht(i) = t_row[i];
  auto tr = Kokkos::create_mirror_view_and_copy(MemSpace(), ht);

  const Rng box(seed, stream_box), noise(seed, stream_ou_noise);
  const int d = x.extent(1);
  const double lo_ = lo, width = hi - lo;
  const VpSchedule s = vp;
  const std::uint64_t first = dec.offset;
  Kokkos::parallel_for(
      "boltzflow::fisher_rao::box_ou", Kokkos::RangePolicy<ExecSpace>(0, dec.local), KOKKOS_LAMBDA(const int i) {
        const double t = tr(i), m = s.mean_factor(t), sd = s.noise_factor(t);
        for (int k = 0; k < d; ++k) {
          const double y = lo_ + width * box.uniform(first + i, iter, k);
          x(i, k) = m * y + sd * noise.normal(first + i, iter, k);
        }
      });
  return out;
}

}  // namespace boltzflow::fisher_rao
