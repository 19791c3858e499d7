#pragma once
// Host-side Cholesky factorisation of small dense SPD matrices (set-up work: mixture
// covariances, the LGCP prior, flow whitening), row-major, double precision. The factor is
// the lower triangle L with A = L Lᵀ; the strict upper triangle is set to zero.
#include <vector>

namespace boltzflow {

// L of the n × n row-major SPD matrix a; false if a is not (numerically) positive definite.
// l may alias a.
bool cholesky_lower(const double* a, double* l, int n);

// Σ_j log L_jj of a lower factor: ½ log det A.
double cholesky_half_log_det(const std::vector<double>& l, int n);

}  // namespace boltzflow
