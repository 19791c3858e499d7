#include "boltzflow/samplers/annealing_flow/Schedule.hpp"

#include <algorithm>
#include <cmath>

namespace boltzflow::annealing_flow {

double Schedule::beta(int k) const { return k >= anneal_blocks ? 1.0 : double(k) / double(anneal_blocks); }

double Schedule::delta_k(int k) const { return k <= delta_switch ? delta : delta_late; }

double Schedule::gamma(int k, int dim) const {
  // The tabled δ_k were tuned for the reference W2 term ≈ ‖v‖²/(9 d δ_k) (methods.md §1.1).
  return inverse_delta ? 1.0 / delta_k(k) : 1.0 / (9.0 * dim * delta_k(k));
}

std::vector<double> Schedule::betas() const {
  std::vector<double> b;
  for (int k = 1; k <= blocks; ++k) b.push_back(beta(k));
  return b;
}

namespace {
// Python's // on integers: rounds toward −∞.
long floordiv(long a, long b) { return static_cast<long>(std::floor(double(a) / double(b))); }
}  // namespace

std::pair<double, double> truncation_relaxation(int k, double c1, int dim) {
  const double c_ = c1 + 0.1;
  if (dim <= 3) {
    if (k <= 8) return {std::min(double(k), c_), double(std::min(35L, 20 + 5L * (k - 4)))};
    return {c_, 35.0};
  }
  if (k <= 11) return {std::min(double(floordiv(k, 2) + 1), c_), double(std::min(25L, 15 + floordiv(5L * (k - 4), 2)))};
  if (k <= 14) return {c_, 25.0};
  return {c_, 30.0};
}

}  // namespace boltzflow::annealing_flow
