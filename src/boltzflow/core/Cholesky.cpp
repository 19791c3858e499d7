#include "boltzflow/core/Cholesky.hpp"

#include <cmath>
#include <cstddef>

namespace boltzflow {

bool cholesky_lower(const double* a, double* l, int n) {
  const auto at = [n](int i, int j) { return std::size_t(i) * n + j; };
  // Column by column (left-looking); entry (i, j) of a is read before l overwrites it.
  for (int j = 0; j < n; ++j) {
    double s = a[at(j, j)];
    for (int k = 0; k < j; ++k) s -= l[at(j, k)] * l[at(j, k)];
    if (!(s > 0)) return false;
    const double ljj = std::sqrt(s);
    for (int i = j + 1; i < n; ++i) {
      double t = a[at(i, j)];
      for (int k = 0; k < j; ++k) t -= l[at(i, k)] * l[at(j, k)];
      l[at(i, j)] = t / ljj;
    }
    l[at(j, j)] = ljj;
    for (int k = j + 1; k < n; ++k) l[at(j, k)] = 0;
  }
  return true;
}

double cholesky_half_log_det(const std::vector<double>& l, int n) {
  double s = 0;
  for (int j = 0; j < n; ++j) s += std::log(l[std::size_t(j) * n + j]);
  return s;
}

}  // namespace boltzflow
