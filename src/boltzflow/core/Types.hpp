#pragma once
// Precision, space and View aliases used throughout boltzflow.
#include <Kokkos_Core.hpp>
#include <cstdint>

namespace boltzflow {

using ExecSpace = Kokkos::DefaultExecutionSpace;
using MemSpace = ExecSpace::memory_space;
using HostExecSpace = Kokkos::DefaultHostExecutionSpace;
using HostSpace = Kokkos::HostSpace;

using Real = double;  // production precision on CPU; nn/ is templated for float

// Particles are (n_local, d), row-major so that rows are contiguous (HDF5/C order).
template <class T = Real, class Mem = MemSpace>
using Matrix = Kokkos::View<T**, Kokkos::LayoutRight, Mem>;
template <class T = Real, class Mem = MemSpace>
using Vector = Kokkos::View<T*, Mem>;

using Particles = Matrix<Real>;
using Scalars = Vector<Real>;
using HostParticles = Matrix<Real, HostSpace>;
using HostScalars = Vector<Real, HostSpace>;

using gid_t = std::uint64_t;  // global particle id (rank-count independent)

}  // namespace boltzflow
