#pragma once
// The three Fisher–Rao curves of methods.md §3 (log-density convention ρₜ ∝ exp fₜ):
//   gradient_flow: fₜ = t ψ(x,t) + a(t) log ρ̃(x), a = t g(t) + 1 − t (or LogTargetWeight),
//                  fixed vₜ = −b(t)(x + ∇fₜ);                                         t = 0 target
//   linear:        fₜ = (1 − t) log π₀ + t log ρ̃, learned v;                           t = 0 base
//   learned:       fₜ = (1 − t) log π₀ + t log ρ̃ + t(1 − t) ψ(x,t), learned v;        t = 0 base
#include <string>

namespace boltzflow::fisher_rao {

enum class Interpolation { gradient_flow, linear, learned };

Interpolation interpolation_from_string(const std::string& name);  // InputError naming fisher_rao.interpolation
std::string to_string(Interpolation i);

// Loss of one residual value: r² (gradient flow) or |r| + r² (linear, learned).
enum class LossKind { l2, l1_l2 };

}  // namespace boltzflow::fisher_rao
