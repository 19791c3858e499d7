#include "boltzflow/samplers/cnf/Minibatch.hpp"

#include <algorithm>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Rng.hpp"

namespace boltzflow::cnf {

MinibatchSampler::MinibatchSampler(const Decomposition& dec, std::int64_t batch, std::uint64_t seed,
                                   std::uint64_t salt)
    : dec_(dec),
      batch_(std::min(batch, dec.global)),
      per_epoch_(batch_ > 0 ? dec.global / batch_ : 0),
      seed_(seed),
      salt_(salt),
      perm_(dec.global),
      rows_("boltzflow::cnf::batch_rows", std::max<std::int64_t>(batch_, 1)),
      ids_("boltzflow::cnf::batch_ids", std::max<std::int64_t>(batch_, 1)) {
  BOLTZFLOW_ASSERT(batch_ > 0, "cnf::MinibatchSampler: empty pool or batch");
  BOLTZFLOW_ASSERT(salt < (std::uint64_t(1) << 23), "cnf::MinibatchSampler: salt too large");
}

void MinibatchSampler::shuffle(long epoch) {
  const Rng rng(seed_, Stream::cnf_minibatch);
  const std::int64_t n = dec_.global;
  for (std::int64_t i = 0; i < n; ++i) perm_[i] = i;
  const std::uint64_t base = salt_ << 40;  // ids < 2^40
  for (std::int64_t i = n - 1; i > 0; --i) {
    const double u = rng.uniform(base + std::uint64_t(i), static_cast<std::uint32_t>(epoch), 0);
    const auto j = std::min<std::int64_t>(i, static_cast<std::int64_t>(u * double(i + 1)));
    std::swap(perm_[i], perm_[j]);
  }
  epoch_ = epoch;
}

void MinibatchSampler::select(long it) {
  const long epoch = it / per_epoch_;
  if (epoch != epoch_) shuffle(epoch);
  const std::int64_t first = (it % per_epoch_) * batch_;
  std::vector<std::int64_t> mine;
  for (std::int64_t p = first; p < first + batch_; ++p) {
    const std::int64_t g = perm_[p];
    if (g >= dec_.offset && g < dec_.offset + dec_.local) mine.push_back(g);
  }
  std::sort(mine.begin(), mine.end());
  count_ = static_cast<int>(mine.size());
  auto hr = Kokkos::create_mirror_view(rows_);
  auto hi = Kokkos::create_mirror_view(ids_);
  for (int i = 0; i < count_; ++i) {
    hr(i) = static_cast<int>(mine[i] - dec_.offset);
    hi(i) = static_cast<std::uint64_t>(mine[i]);
  }
  Kokkos::deep_copy(rows_, hr);
  Kokkos::deep_copy(ids_, hi);
}

void gather_rows(const Particles& pool, const Vector<int>& rows, int count, const Particles& xb) {
  const int d = pool.extent(1);
  Kokkos::parallel_for(
      "boltzflow::cnf::gather_rows", Kokkos::RangePolicy<ExecSpace>(0, count), KOKKOS_LAMBDA(const int i) {
        for (int j = 0; j < d; ++j) xb(i, j) = pool(rows(i), j);
      });
}

}  // namespace boltzflow::cnf
