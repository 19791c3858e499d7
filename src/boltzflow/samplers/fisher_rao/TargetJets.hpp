#pragma once
// U, ∇U and (where needed) ΔU of the target at a set of points, evaluated once and shared by
// the curve jets of all time groups (log ρ̃ = −U).
#include "boltzflow/targets/Target.hpp"

namespace boltzflow::fisher_rao {

struct TargetJets {
  Scalars U;
  Particles grad;  // ∇U
  Scalars lap;     // ΔU (empty when not wanted)

  TargetJets() = default;
  TargetJets(const Target& target, const Particles& x, bool laplacian) { evaluate(target, x, laplacian); }
  void evaluate(const Target& target, const Particles& x, bool laplacian);
  // Rows [a, b) (contiguous subviews).
  TargetJets rows(std::size_t a, std::size_t b) const;
};

}  // namespace boltzflow::fisher_rao
