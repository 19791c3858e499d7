#pragma once
// The terminal energy E_k of Annealing Flow block k and its gradient, as a cnf::EnergyFn:
//   geometric:        E_k(x) = β_k U(x) + (1 − β_k)‖x‖²/2     (π0^(1−β) ρ̃^β, methods.md §1.1)
//   truncated normal: E_k(x) = softplus(−p_k(‖x‖ − c_k)) + ‖x‖²/2  (relaxation, §1.4)
#include <memory>

#include "boltzflow/samplers/cnf/BlockLoss.hpp"
#include "boltzflow/targets/Target.hpp"

namespace boltzflow::annealing_flow {

// The target must outlive the returned function.
cnf::EnergyFn geometric_energy(const Target& target, double beta);
cnf::EnergyFn truncation_energy(double c, double p);

// E_k(x) only (no gradient), e.g. for diagnostics: E(i) for every row of x.
void evaluate_energy(const cnf::EnergyFn& energy, const Particles& x, const Scalars& E);

}  // namespace boltzflow::annealing_flow
