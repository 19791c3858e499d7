#include "boltzflow/targets/Target.hpp"

#include <stdexcept>

namespace boltzflow {

void Target::sample(std::uint64_t, std::uint64_t, const Particles&) const {
  throw std::logic_error("target '" + name() + "' has no exact sampler");
}

void Target::assign_modes(const Particles&, const Vector<int>& label) const { Kokkos::deep_copy(label, -1); }

}  // namespace boltzflow
