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

}  // namespace boltzflow::flow_mcmc
