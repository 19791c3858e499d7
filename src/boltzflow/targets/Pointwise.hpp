#pragma once
// Targets whose energy is a per-particle formula: a small copyable functor Fn with
//   KOKKOS_INLINE_FUNCTION double U(const Particles& x, int i) const;
//   KOKKOS_INLINE_FUNCTION double grad(const Particles& x, int i, const Particles& g) const; // writes row i, returns U
//   KOKKOS_INLINE_FUNCTION double lap(const Particles& x, int i) const;
// and these loops run it over a particle View.
#include "boltzflow/core/Types.hpp"

namespace boltzflow::pointwise {

template <class Fn>
void energy(const char* label, const Fn& f, const Particles& x, const Scalars& U) {
  Kokkos::parallel_for(label, Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)),
                       KOKKOS_LAMBDA(const int i) { U(i) = f.U(x, i); });
}
template <class Fn>
void gradient(const char* label, const Fn& f, const Particles& x, const Scalars& U, const Particles& g) {
  Kokkos::parallel_for(label, Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)),
                       KOKKOS_LAMBDA(const int i) { U(i) = f.grad(x, i, g); });
}
template <class Fn>
void laplacian(const char* label, const Fn& f, const Particles& x, const Scalars& lap) {
  Kokkos::parallel_for(label, Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)),
                       KOKKOS_LAMBDA(const int i) { lap(i) = f.lap(x, i); });
}

}  // namespace boltzflow::pointwise
