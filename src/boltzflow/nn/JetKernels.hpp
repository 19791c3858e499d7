#pragma once
// The elementwise kernels of the jet MLP (the matrix products are in Gemm.hpp). A jet buffer
// holds R = B·S rows of width w, row b·S + s = slot s of particle b: slot 0 the value, slots
// 1..K the tangents, slot S−1 the Laplacian term when carried.
#include "boltzflow/core/Types.hpp"
#include "boltzflow/nn/Activation.hpp"
#include "boltzflow/nn/MlpLayout.hpp"

namespace boltzflow::nn {

// What the tangent slots hold at the input.
enum class Tangents {
  basis,       // K = d: e_1..e_d (exact divergence, gradient)
  basis_time,  // K = d + 1: e_1..e_d and the time direction (gradient and ∂ₜ)
  probes,      // K caller probes ε (B, K, d): Hutchinson
};

struct JetSpec {
  Tangents tangents = Tangents::basis;
  int K = 0;               // number of tangent slots
  bool laplacian = false;  // carry ḧ = Σᵢ ∂²h/∂xᵢ² over the x-tangents
  // Output layer: only the value rows plus the trace Σᵢ ∂outᵢ/∂(tangent i) per particle
  // (exact divergence: needs basis tangents, K = outputs, no Laplacian).
  bool trace = false;
  int slots() const { return 1 + K + (laplacian ? 1 : 0); }
  int x_tangents() const { return tangents == Tangents::basis_time ? K - 1 : K; }
  bool operator==(const JetSpec& o) const {
    return tangents == o.tangents && K == o.K && laplacian == o.laplacian && trace == o.trace;
  }
};

// Everything a jet kernel needs to know about one call.
struct JetDims {
  int B, S, K, nx;  // particles, slots, tangents, x-tangents (enter the Laplacian)
  bool lap;
  Tangents tangents;
};

// Where the tangent (and Laplacian) input rows of an activation lie: slot s = 1..S-1 of
// particle b at p + b·particle_stride + (s-1)·w. particle_stride = S·w: the jet buffer's own
// rows; 0: one set of rows shared by every particle (the first layer's basis tangents are
// columns of its weights: they are never materialized per particle).
template <class Scalar>
struct TangentRows {
  const Scalar* p;
  std::size_t particle_stride;
  KOKKOS_INLINE_FUNCTION Scalar operator()(int b, int s, int w, int o) const {
    return p[b * particle_stride + std::size_t(s - 1) * w + o];
  }
};

namespace jet {

// Hin (B × in) = [x, time features(t)]: the value slot of the input layer (stored compactly).
template <class Scalar>
void input_features(const Matrix<Scalar>& x, Scalar t, const MlpShape& shape, const Matrix<Scalar>& Hin);

// The shared tangent rows T ((S−1)·w) of the first layer's pre-activations for basis tangents,
// from the weights W0 (w × in, at w0 in params): basis tangent i gives column i of W0, the time
// tangent Σ_c W0(:, d+c) ∂ₜfeature_c, the Laplacian row 0 (the input is linear in x).
template <class Scalar>
void basis_tangent_rows(const Vector<Scalar>& params, std::size_t w0, const MlpShape& shape, Scalar t,
                        const JetDims& j, const Vector<Scalar>& T);

// Z(b·S + slot, :) = 0 for every particle (the Laplacian slot of probe-tangent inputs).
template <class Scalar>
void zero_slot(const Matrix<Scalar>& Z, int slot, const JetDims& j);

// Reverse of the first layer's tangent rows given colsum (S·w) = Σ_b of every slot of the
// cotangent of Z0: gb0 += its value slot part and, for basis tangents, gW0 += its tangent parts.
template <class Scalar>
void input_tangents_grad(const Vector<Scalar>& colsum, const MlpShape& shape, Scalar t, const JetDims& j,
                         const Vector<Scalar>& gparams, std::size_t w0, std::size_t b0);

// Hidden layer: Z (R × w) holds W·h in its value rows, Tin the tangent and Laplacian input rows
// (Z's own rows, or shared ones). Adds the bias to the value rows (in place, kept for the
// reverse sweep), writes the activation jets H (R × w)
//   σ(z), σ'(z) żᵢ, σ'(z) z̈ + σ''(z) Σ_{i<nx} żᵢ²,
// and U (B × w) = activation_base(z), from which the reverse sweep gets the derivatives.
template <class Scalar>
void activation_forward(const Matrix<Scalar>& Z, const TangentRows<Scalar>& Tin, const Vector<Scalar>& params,
                        std::size_t bias, Activation act, Scalar beta, const JetDims& j, const Matrix<Scalar>& H,
                        const Matrix<Scalar>& U);

// Reverse of activation_forward: GH (R × w) is the cotangent of H; overwrites Z with the
// cotangent of Z, all slots (each value is read before it is replaced), so no extra buffer is
// needed; Tin and U as given to activation_forward.
template <class Scalar>
void activation_reverse(const Matrix<Scalar>& GH, const TangentRows<Scalar>& Tin, const Matrix<Scalar>& U,
                        Activation act, Scalar beta, const JetDims& j, const Matrix<Scalar>& Z);

// Output layer: adds the bias to the value slots of Z (rows lie S apart).
template <class Scalar>
void add_bias(const Matrix<Scalar>& Z, const Vector<Scalar>& params, std::size_t bias, const JetDims& j);

}  // namespace jet
}  // namespace boltzflow::nn
