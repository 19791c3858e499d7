#pragma once
// Σ_{i,j} f(‖x_i − y_j‖²) over all pairs of two distributed samples: the O(NM) core of the
// exact energy distance and of the MMD. Every rank keeps its block of x and the rows of y are
// streamed to all ranks (MPI_Bcast from each owner in blocks of ≤ 2^20 doubles, staged through
// host memory), so no rank ever holds more than its own data plus one block.
#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Math.hpp"
#include "boltzflow/core/Types.hpp"

namespace boltzflow::metrics {

// Radial kernel f(r²): the Euclidean distance r, or the Gaussian exp(−r²/(2h²)).
struct PairKernel {
  enum Kind { euclidean, gaussian };
  Kind kind = euclidean;
  double inv_two_h2 = 0;  // 1/(2h²), Gaussian only

  static PairKernel distance() { return PairKernel{euclidean, 0.0}; }
  static PairKernel gaussian_bandwidth(double h) { return PairKernel{gaussian, 0.5 / (h * h)}; }

  KOKKOS_INLINE_FUNCTION double operator()(double r2) const {
    return kind == euclidean ? kmath::sqrt(r2) : kmath::exp(-r2 * inv_two_h2);
  }
};

// Global Σ_{i,j} f(‖x_i − y_j‖²) over every rank's rows (x and y may be the same View:
// then every unordered pair counts twice and the diagonal once). Same value on all ranks.
double global_pair_sum(const Comm& comm, const Particles& x, const Particles& y, PairKernel f);

}  // namespace boltzflow::metrics
