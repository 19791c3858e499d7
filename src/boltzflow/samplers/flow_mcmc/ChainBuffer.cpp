#include "boltzflow/samplers/flow_mcmc/ChainBuffer.hpp"

#include "boltzflow/core/Error.hpp"

namespace boltzflow::flow_mcmc {

ChainBuffer::ChainBuffer(long capacity, std::int64_t n_walkers, std::int64_t first_walker, std::int64_t local, int d)
    : capacity_(capacity),
      n_walkers_(n_walkers),
      first_(first_walker),
      local_(local),
      store_("boltzflow::flow_mcmc::buffer", capacity * local, d) {
  BOLTZFLOW_ASSERT(capacity > 0, "ChainBuffer: capacity must be positive");
}

void ChainBuffer::push(const Particles& x) {
  // Physical slot of the new snapshot: the next free one, or the oldest once full.
  const long slot = filled_ < capacity_ ? filled_ : head_;
  const auto r = Kokkos::make_pair(std::int64_t(slot) * local_, std::int64_t(slot + 1) * local_);
  Kokkos::deep_copy(Kokkos::subview(store_, r, Kokkos::ALL()), x);
  if (filled_ < capacity_)
    ++filled_;
  else
    head_ = (head_ + 1) % capacity_;
}

Particles ChainBuffer::rows() const {
  return Kokkos::subview(store_, Kokkos::make_pair(std::int64_t(0), std::int64_t(filled_) * local_), Kokkos::ALL());
}

interpolant::OwnerMap ChainBuffer::owner() const {
  const auto n = n_walkers_, first = first_, local = local_;
  const long cap = capacity_, head = head_;
  return [=](std::int64_t g) -> std::int64_t {
    const std::int64_t age = g / n, w = g % n - first;
    if (w < 0 || w >= local) return -1;
    return ((head + age) % cap) * local + w;
  };
}

void ChainBuffer::save(io::H5Writer& w, const std::string& group) const {
  w.attribute(group, "capacity", std::int64_t(capacity_));
  w.attribute(group, "filled", std::int64_t(filled_));
  w.attribute(group, "head", std::int64_t(head_));
  if (filled_ == 0) return;
  const int d = static_cast<int>(store_.extent(1));
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), store_);
  Matrix<Real, HostSpace> rows("boltzflow::flow_mcmc::buffer_rows", local_, std::size_t(filled_) * d);
  for (std::int64_t i = 0; i < local_; ++i)
    for (long slot = 0; slot < filled_; ++slot)
      for (int j = 0; j < d; ++j) rows(i, slot * d + j) = h(slot * local_ + i, j);
  w.write_rows(group + "/rows", rows);
}

void ChainBuffer::load(const io::H5Reader& r, const std::string& group) {
  const auto cap = r.attribute_int64(group, "capacity");
  if (cap != capacity_)
    throw InputError("run.restart: the checkpoint's training window holds " + std::to_string(cap) +
                     " snapshots, flow_mcmc.window = " + std::to_string(capacity_));
  filled_ = static_cast<long>(r.attribute_int64(group, "filled"));
  head_ = static_cast<long>(r.attribute_int64(group, "head"));
  BOLTZFLOW_ASSERT(filled_ >= 0 && filled_ <= capacity_ && head_ >= 0 && head_ < capacity_, "ChainBuffer::load");
  if (filled_ == 0) return;
  const int d = static_cast<int>(store_.extent(1));
  const auto rows = r.read_rows(group + "/rows", first_, local_);
  BOLTZFLOW_ASSERT(rows.extent(1) == std::size_t(filled_) * d, "ChainBuffer::load: row width");
  auto h = Kokkos::create_mirror_view(store_);
  for (std::int64_t i = 0; i < local_; ++i)
    for (long slot = 0; slot < filled_; ++slot)
      for (int j = 0; j < d; ++j) h(slot * local_ + i, j) = rows(i, slot * d + j);
  Kokkos::deep_copy(store_, h);
}

}  // namespace boltzflow::flow_mcmc
