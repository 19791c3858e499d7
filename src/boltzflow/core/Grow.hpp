#pragma once
// Workspace buffers that grow on demand and never shrink. The old View is released before the
// larger one is allocated, so peak memory stays one copy; the contents are not kept.
#include <cstddef>
#include <string>

#include "boltzflow/core/Types.hpp"

namespace boltzflow {

// v holds at least n scalars afterwards.
template <class Scalar>
void grow(Vector<Scalar>& v, std::size_t n, const std::string& label) {
  if (v.extent(0) >= n) return;
  v = Vector<Scalar>();
  v = Vector<Scalar>(Kokkos::view_alloc(Kokkos::WithoutInitializing, label), n);
}

}  // namespace boltzflow
