#pragma once
// Per-block schedules of Annealing Flow (methods.md §1.3, §1.4): the annealing exponent β_k,
// the reference W2 weights δ_k and the kinetic weight γ_k of the clean objective, and the
// (c_k, p_k) relaxation of the truncated normal. Blocks are numbered k = 1..K.
#include <utility>
#include <vector>

namespace boltzflow::annealing_flow {

struct Schedule {
  int blocks = 12;         // K
  int anneal_blocks = 10;  // n: β_k = k/n for k <= n, then 1 (refinement blocks)
  double delta = 0.05, delta_late = 0.10;
  int delta_switch = 8;    // δ_k = delta for k <= delta_switch, else delta_late
  bool inverse_delta = false;  // γ_k = 1/δ_k instead of the default 1/(9 d δ_k)

  double beta(int k) const;
  double delta_k(int k) const;
  double gamma(int k, int dim) const;
  std::vector<double> betas() const;  // β_1..β_K
};

// Truncated normal with radius c1 (target.truncation_radius): (c_k, p_k) of the energy
// E_k(x) = softplus(−p_k(‖x‖ − c_k)) + ‖x‖²/2, the reference code's rule including its
// Python floor divisions (methods.md §1.4).
std::pair<double, double> truncation_relaxation(int k, double c1, int dim);

}  // namespace boltzflow::annealing_flow
