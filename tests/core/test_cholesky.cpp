// core/Cholesky: L Lᵀ reproduces the matrix, L is lower with a positive diagonal, the
// half log-determinant matches a closed form, in-place use works, non-SPD input is refused.
#include <cmath>
#include <vector>

#include "boltzflow/core/Cholesky.hpp"
#include "boltzflow/core/Rng.hpp"
#include "FpTraps.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;

TEST_CASE("Cholesky: L Lᵀ = A for a random SPD matrix, in place and not", "[core][cholesky]") {
  const int n = 9;
  const Rng rng(5, Stream::metrics);
  std::vector<double> B(n * n), A(n * n, 0.0);
  for (int i = 0; i < n * n; ++i) B[i] = rng.normal(i, 0, 0);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      for (int k = 0; k < n; ++k) A[i * n + j] += B[i * n + k] * B[j * n + k];
      if (i == j) A[i * n + j] += 0.5;
    }
  std::vector<double> L(n * n, 7.0), Lin = A;
  REQUIRE(cholesky_lower(A.data(), L.data(), n));
  REQUIRE(cholesky_lower(Lin.data(), Lin.data(), n));
  double worst = 0;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      if (j > i) CHECK(L[i * n + j] == 0.0);
      if (i == j) CHECK(L[i * n + i] > 0);
      CHECK(Lin[i * n + j] == L[i * n + j]);
      double s = 0;
      for (int k = 0; k < n; ++k) s += L[i * n + k] * L[j * n + k];
      worst = std::max(worst, std::abs(s - A[i * n + j]));
    }
  CHECK(worst < 1e-12);
}

TEST_CASE("Cholesky: log det of a 2×2 closed form; indefinite and NaN input refused", "[core][cholesky]") {
  const std::vector<double> A = {4.0, 1.2, 1.2, 0.9};
  std::vector<double> L(4);
  REQUIRE(cholesky_lower(A.data(), L.data(), 2));
  CHECK(std::abs(2 * cholesky_half_log_det(L, 2) - std::log(4.0 * 0.9 - 1.2 * 1.2)) < 1e-14);
  const std::vector<double> indefinite = {1.0, 2.0, 2.0, 1.0}, nan = {1.0, 0.0, 0.0, std::nan("")};
  CHECK_FALSE(cholesky_lower(indefinite.data(), L.data(), 2));
  testutil::FpTrapsOff nan_on_purpose;
  CHECK_FALSE(cholesky_lower(nan.data(), L.data(), 2));
}
