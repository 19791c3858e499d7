#pragma once
// The one place that multiplies matrices. The jet buffers are column-major (LayoutLeft), the
// layout Kokkos Kernels 3.4 hands to the vendor BLAS (OpenBLAS, cuBLAS; its native fallback is
// many times slower): every product is issued on unmanaged LayoutLeft views of the buffers.
// Weights are row-major (out × in), i.e. column-major (in × out) with leading dimension in.
#include <KokkosBlas3_gemm.hpp>
#include <vector>

#include "boltzflow/core/Types.hpp"

namespace boltzflow::nn::gemm {

template <class Scalar>
using ColMajor = Kokkos::View<Scalar**, Kokkos::LayoutLeft, MemSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>>;

// The column-major (rows × cols) block at p whose columns lie ld >= rows elements apart.
template <class Scalar>
ColMajor<Scalar> cols(const Scalar* p, int rows, int cols, int ld) {
  const ColMajor<Scalar> full(const_cast<Scalar*>(p), ld, cols);
  return Kokkos::subview(full, Kokkos::make_pair(0, rows), Kokkos::ALL());
}
template <class Scalar>
ColMajor<Scalar> cols(const Scalar* p, int rows, int cols) {
  return gemm::cols(p, rows, cols, rows);
}

// Optional record of the products issued, so that a benchmark can replay them bare.
struct Call {
  char ta, tb;
  int m, n, k;  // C (m × n) = op(A) (m × k) · op(B) (k × n), column-major
  int lda, ldb, ldc;
  double beta;
  double flops() const { return 2.0 * m * n * k; }
};
inline std::vector<Call>*& call_log() {
  static std::vector<Call>* log = nullptr;
  return log;
}

// C = alpha op(A) op(B) + beta C on column-major views (the BLAS convention).
template <class Scalar>
void product(char ta, char tb, Scalar alpha, const ColMajor<Scalar>& A, const ColMajor<Scalar>& B, Scalar beta,
             const ColMajor<Scalar>& C) {
  if (C.extent(0) == 0 || C.extent(1) == 0) return;
  const int k = ta == 'N' ? A.extent(1) : A.extent(0);
  if (auto* log = call_log())
    log->push_back({ta, tb, int(C.extent(0)), int(C.extent(1)), k, int(A.stride(1)), int(B.stride(1)), int(C.stride(1)),
                    double(beta)});
  const char tA[2] = {ta, 0}, tB[2] = {tb, 0};
  KokkosBlas::gemm(tA, tB, alpha, A, B, beta, C);
}

// Z = H · W: a layer's pre-activations, Z (R × out), H (R × in), W (in × out).
template <class Scalar>
void layer(const ColMajor<Scalar>& H, const ColMajor<Scalar>& W, const ColMajor<Scalar>& Z) {
  product<Scalar>('N', 'N', 1, H, W, 0, Z);
}

// gW += Hᵀ · G: the weight gradient (in × out), a deterministic reduction over the R rows.
template <class Scalar>
void add_weight_grad(const ColMajor<Scalar>& H, const ColMajor<Scalar>& G, const ColMajor<Scalar>& gW) {
  product<Scalar>('T', 'N', 1, H, G, 1, gW);
}

// GH = G · Wᵀ: the cotangent of a layer's input, GH (R × in), G (R × out), W (in × out).
template <class Scalar>
void input_grad(const ColMajor<Scalar>& G, const ColMajor<Scalar>& W, const ColMajor<Scalar>& GH) {
  product<Scalar>('N', 'T', 1, G, W, 0, GH);
}

// y = Aᵀ u + beta y: the u-weighted sum of A's rows (A R × n, u R, y n).
template <class Scalar>
void col_sums(const ColMajor<Scalar>& A, const Scalar* u, Scalar beta, Scalar* y) {
  product<Scalar>('T', 'N', 1, A, cols(u, int(A.extent(0)), 1), beta, cols(y, int(A.extent(1)), 1));
}

// y = A u + beta y (A R × n, u n, y R).
template <class Scalar>
void mat_vec(const ColMajor<Scalar>& A, const Scalar* u, Scalar beta, Scalar* y) {
  product<Scalar>('N', 'N', 1, A, cols(u, int(A.extent(1)), 1), beta, cols(y, int(A.extent(0)), 1));
}

}  // namespace boltzflow::nn::gemm
