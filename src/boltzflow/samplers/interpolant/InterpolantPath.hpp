#pragma once
// Stochastic-interpolant paths (methods.md §5): x_t = α(t)x₀ + β(t)x₁ + γ(t)z with
// x₀ ~ N(0, I) (base), x₁ ~ data, z ~ N(0, I) latent noise (γ = 0 by default).
//   linear:        α = 1 − t,        β = t
//   trigonometric: α = cos(πt/2),    β = sin(πt/2)
//   noise γ:       none | sqrt: √(t(1−t)) | quadratic: t(1−t) | sin2: sin²(πt)
// Plain functions of t, usable inside kernels (the path is copied by value into lambdas).
#include <string>

#include "boltzflow/core/Math.hpp"

namespace boltzflow::interpolant {

enum class PathKind { linear, trigonometric };
enum class NoiseKind { none, sqrt, quadratic, sin2 };

PathKind path_from_string(const std::string& name, const std::string& key);
NoiseKind noise_from_string(const std::string& name, const std::string& key);

struct InterpolantPath {
  PathKind kind = PathKind::linear;
  NoiseKind noise = NoiseKind::none;

  KOKKOS_INLINE_FUNCTION double alpha(double t) const {
    return kind == PathKind::linear ? 1.0 - t : kmath::cos(0.5 * constants::pi * t);
  }
  KOKKOS_INLINE_FUNCTION double beta(double t) const {
    return kind == PathKind::linear ? t : kmath::sin(0.5 * constants::pi * t);
  }
  KOKKOS_INLINE_FUNCTION double dalpha(double t) const {
    return kind == PathKind::linear ? -1.0 : -0.5 * constants::pi * kmath::sin(0.5 * constants::pi * t);
  }
  KOKKOS_INLINE_FUNCTION double dbeta(double t) const {
    return kind == PathKind::linear ? 1.0 : 0.5 * constants::pi * kmath::cos(0.5 * constants::pi * t);
  }
  KOKKOS_INLINE_FUNCTION double gamma(double t) const {
    switch (noise) {
      case NoiseKind::sqrt: return kmath::sqrt(t * (1.0 - t));
      case NoiseKind::quadratic: return t * (1.0 - t);
      case NoiseKind::sin2: {
        const double s = kmath::sin(constants::pi * t);
        return s * s;
      }
      default: return 0.0;
    }
  }
  // γ̇(t); singular at t ∈ {0, 1} for sqrt (callers keep t inside (t_min, t_max)).
  KOKKOS_INLINE_FUNCTION double dgamma(double t) const {
    switch (noise) {
      case NoiseKind::sqrt: return (1.0 - 2.0 * t) / (2.0 * kmath::sqrt(t * (1.0 - t)));
      case NoiseKind::quadratic: return 1.0 - 2.0 * t;
      case NoiseKind::sin2: return constants::pi * kmath::sin(2.0 * constants::pi * t);
      default: return 0.0;
    }
  }
  bool noisy() const { return noise != NoiseKind::none; }
};

}  // namespace boltzflow::interpolant
