#include "boltzflow/samplers/interpolant/Minibatch.hpp"

#include <algorithm>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Rng.hpp"

namespace boltzflow::interpolant {

OwnerMap slice_owner(std::int64_t offset, std::int64_t local) {
  return [offset, local](std::int64_t g) { return g >= offset && g < offset + local ? g - offset : -1; };
}

std::vector<TimeBin> plan_minibatch(const MinibatchSpec& spec, std::int64_t global_rows, const OwnerMap& owner,
                                    std::uint64_t seed, std::uint32_t step) {
  BOLTZFLOW_ASSERT(global_rows > 0 && spec.bins > 0 && spec.batch > 0, "plan_minibatch: empty data or batch");
  const Rng pick(seed, Stream::interpolant_batch), when(seed, Stream::interpolant_time);
  std::vector<TimeBin> bins(spec.bins);
  for (int k = 0; k < spec.bins; ++k)
    bins[k].t = spec.t_min + (spec.t_max - spec.t_min) * (k + when.uniform(k, step, 0)) / spec.bins;
  for (std::int64_t i = 0; i < spec.batch; ++i) {
    const auto g = std::min<std::int64_t>(global_rows - 1, std::int64_t(pick.uniform(i, step, 0) * double(global_rows)));
    const auto r = owner(g);
    if (r < 0) continue;
    auto& b = bins[i % spec.bins];
    b.element.push_back(i);
    b.row.push_back(r);
  }
  return bins;
}

}  // namespace boltzflow::interpolant
