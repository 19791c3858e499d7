#pragma once
// The one place that multiplies matrices. Activations and weights are row-major (LayoutRight);
// Kokkos Kernels hands a product to the vendor BLAS (OpenBLAS, cuBLAS) only for LayoutLeft
// Views, and a row-major (R × n) buffer IS a column-major (n × R) one, so every product is
// written in its transposed, column-major form on unmanaged LayoutLeft views of the same memory.
#include <KokkosBlas3_gemm.hpp>

#include "boltzflow/core/Types.hpp"

namespace boltzflow::nn::gemm {

template <class Scalar>
using ColMajor = Kokkos::View<Scalar**, Kokkos::LayoutLeft, MemSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>>;

// Z (R × out) = H (R × in) · Wᵀ, W row-major (out × in).
template <class Scalar>
void forward(const Scalar* W, int out, int in, const Scalar* H, Scalar* Z, int R) {
  ColMajor<Scalar> w(const_cast<Scalar*>(W), in, out), h(const_cast<Scalar*>(H), in, R), z(Z, out, R);
  KokkosBlas::gemm("T", "N", Scalar(1), w, h, Scalar(0), z);
}

// gW (out × in) += G (R × out)ᵀ · H (R × in).
template <class Scalar>
void weight_grad(const Scalar* G, int out, const Scalar* H, int in, Scalar* gW, int R) {
  ColMajor<Scalar> g(const_cast<Scalar*>(G), out, R), h(const_cast<Scalar*>(H), in, R), gw(gW, in, out);
  KokkosBlas::gemm("N", "T", Scalar(1), h, g, Scalar(1), gw);
}

// GH (R × in) = G (R × out) · W (out × in).
template <class Scalar>
void input_grad(const Scalar* G, int out, const Scalar* W, int in, Scalar* GH, int R) {
  ColMajor<Scalar> g(const_cast<Scalar*>(G), out, R), w(const_cast<Scalar*>(W), in, out), gh(GH, in, R);
  KokkosBlas::gemm("N", "N", Scalar(1), w, g, Scalar(0), gh);
}

}  // namespace boltzflow::nn::gemm
