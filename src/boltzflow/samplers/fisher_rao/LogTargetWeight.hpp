#pragma once
// The weight a(t) of log ρ̃ in the gradient-flow curve fₜ = t ψ(x,t) + a(t) log ρ̃(x), from the
// schedule network's g(t) and g'(t), with the partials that the reverse mode needs:
//   affine (methods.md §3.2):  a = t g + 1 − t
//   nonnegative:               a = (1 − t) e^{t g}
// Both give a(0) = 1 (f₀ = log ρ̃). The affine weight may turn negative; then, for a target whose
// log ρ̃ falls faster than quadratically (ManyWell: −x⁴), fₜ grows like +|a| x⁴ outside the
// collocation region (ψ, an MLP, grows at most linearly), ρₜ is not normalisable, and the sampling
// ODE's backward drift b(t)(x + ∇fₜ) ∋ 4 b |a| x³ sends the tails to infinity in finite time, at
// any step size. The nonnegative weight keeps every ρₜ a density (a ≥ 0; a(1) = 0, the OU end).
#include <string>

namespace boltzflow::fisher_rao {

enum class LogTargetWeight { affine, nonnegative };

LogTargetWeight log_target_weight_from_string(const std::string& name);  // InputError naming fisher_rao.schedule
std::string to_string(LogTargetWeight w);

struct WeightJet {
  double a, adot;      // a(t), a'(t)
  double da_dg;        // ∂a/∂g (∂a/∂g' = 0)
  double dadot_dg;     // ∂a'/∂g
  double dadot_dgdot;  // ∂a'/∂g'
};

WeightJet log_target_weight(LogTargetWeight w, double t, double g, double gdot);

}  // namespace boltzflow::fisher_rao
