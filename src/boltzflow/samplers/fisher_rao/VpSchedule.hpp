#pragma once
// Variance-preserving time change of the Ornstein–Uhlenbeck flow (methods.md §3.2):
// β̃(t) = β_min + (β_max − β_min) t, b(t) = β̃(t)/2, B(t) = ∫₀ᵗ β̃ = β_min t + (β_max − β_min) t²/2.
// The forward process has the exact marginal x_t = e^{−B(t)/2} x_0 + √(1 − e^{−B(t)}) ε.
#include "boltzflow/core/Math.hpp"

namespace boltzflow::fisher_rao {

struct VpSchedule {
  double beta_min = 0.1, beta_max = 20.0;
  KOKKOS_INLINE_FUNCTION double b(double t) const { return 0.5 * (beta_min + (beta_max - beta_min) * t); }
  KOKKOS_INLINE_FUNCTION double B(double t) const { return beta_min * t + 0.5 * (beta_max - beta_min) * t * t; }
  KOKKOS_INLINE_FUNCTION double mean_factor(double t) const { return kmath::exp(-0.5 * B(t)); }
  KOKKOS_INLINE_FUNCTION double noise_factor(double t) const { return kmath::sqrt(1.0 - kmath::exp(-B(t))); }
};

}  // namespace boltzflow::fisher_rao
