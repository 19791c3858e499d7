#pragma once
// The one place that multiplies matrices. Activations and weights are row-major (LayoutRight);
// Kokkos Kernels 3.4 hands a product to the vendor BLAS (OpenBLAS, cuBLAS) only for
// LayoutLeft Views (its native fallback is many times slower), and a row-major (rows × cols)
// block IS a column-major (cols × rows) one, so every product is written in its transposed,
// column-major form on unmanaged LayoutLeft views of the same memory.
#include <KokkosBlas3_gemm.hpp>
#include <vector>

#include "boltzflow/core/Types.hpp"

namespace boltzflow::nn::gemm {

template <class Scalar>
using ColMajor = Kokkos::View<Scalar**, Kokkos::LayoutLeft, MemSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>>;

// A row-major (rows × cols) block at p whose rows lie ld >= cols elements apart (a strided
// selection of rows, e.g. the value slot of every particle, is such a block).
template <class Scalar>
struct Rows {
  Scalar* p;
  int rows, cols, ld;
  // The same memory as the column-major (cols × rows) matrix with leading dimension ld.
  ColMajor<Scalar> col_major() const {
    const ColMajor<Scalar> full(p, ld, rows);
    return Kokkos::subview(full, Kokkos::make_pair(0, cols), Kokkos::ALL());
  }
};
template <class Scalar>
Rows<Scalar> rows(const Scalar* p, int rows, int cols, int ld) {
  return {const_cast<Scalar*>(p), rows, cols, ld};
}
template <class Scalar>
Rows<Scalar> rows(const Scalar* p, int rows, int cols) {
  return {const_cast<Scalar*>(p), rows, cols, cols};
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

// Z = H · Wᵀ: a layer's pre-activations, Z (R × out), H (R × in), W (out × in).
template <class Scalar>
void layer(const Rows<Scalar>& W, const Rows<Scalar>& H, const Rows<Scalar>& Z) {
  product<Scalar>('T', 'N', 1, W.col_major(), H.col_major(), 0, Z.col_major());
}

// gW += Gᵀ · H: the weight gradient, a deterministic reduction over the R rows.
template <class Scalar>
void add_weight_grad(const Rows<Scalar>& G, const Rows<Scalar>& H, const Rows<Scalar>& gW) {
  product<Scalar>('N', 'T', 1, H.col_major(), G.col_major(), 1, gW.col_major());
}

// GH = G · W: the cotangent of a layer's input, GH (R × in), G (R × out), W (out × in).
template <class Scalar>
void input_grad(const Rows<Scalar>& G, const Rows<Scalar>& W, const Rows<Scalar>& GH) {
  product<Scalar>('N', 'N', 1, W.col_major(), G.col_major(), 0, GH.col_major());
}

// y (+)= Aᵀ · u, i.e. y_j = Σ_r u_r A(r, j) + beta y_j: a weighted sum of rows (A R × n, u R, y n).
template <class Scalar>
void row_sum(const Rows<Scalar>& A, const Scalar* u, Scalar beta, Scalar* y) {
  product<Scalar>('N', 'N', 1, A.col_major(), rows(u, 1, A.rows).col_major(), beta, rows(y, 1, A.cols).col_major());
}

// y = A · u, i.e. y_r = Σ_j A(r, j) u_j (A R × n, u n, y R).
template <class Scalar>
void row_dot(const Rows<Scalar>& A, const Scalar* u, Scalar* y) {
  product<Scalar>('T', 'N', 1, A.col_major(), rows(u, 1, A.cols).col_major(), 0, rows(y, 1, A.rows).col_major());
}

// A = u ⊗ v, i.e. A(r, j) = u_r v_j (A R × n, u R, v n).
template <class Scalar>
void outer(const Scalar* u, const Scalar* v, const Rows<Scalar>& A) {
  product<Scalar>('N', 'T', 1, rows(v, 1, A.cols).col_major(), rows(u, 1, A.rows).col_major(), 0, A.col_major());
}

}  // namespace boltzflow::nn::gemm
