#pragma once
// Portable math between Kokkos 3.4 (Kokkos::Experimental::exp, ...) and 4.x (Kokkos::exp, ...).
#include <Kokkos_Core.hpp>

namespace boltzflow {
#if KOKKOS_VERSION >= 30700
namespace kmath = Kokkos;
#else
namespace kmath = Kokkos::Experimental;
#endif

namespace constants {
constexpr double pi = 3.14159265358979323846;
constexpr double log_2pi = 1.83787706640934548356;
constexpr double sqrt2 = 1.41421356237309504880;
}  // namespace constants

// log(1 + exp(x)) without overflow.
KOKKOS_INLINE_FUNCTION double softplus(double x) {
  return x > 0 ? x + kmath::log1p(kmath::exp(-x)) : kmath::log1p(kmath::exp(x));
}
KOKKOS_INLINE_FUNCTION double sigmoid(double x) {
  return x >= 0 ? 1.0 / (1.0 + kmath::exp(-x)) : kmath::exp(x) / (1.0 + kmath::exp(x));
}
}  // namespace boltzflow
