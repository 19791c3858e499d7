#pragma once
// Activations with their first three derivatives: the jets need σ' (tangents) and σ''
// (Laplacian term), reverse mode through the Laplacian σ'''.
#include <string>

#include "boltzflow/core/Math.hpp"

namespace boltzflow::nn {

enum class Activation { tanh, softplus, silu };

Activation activation_from_string(const std::string& name);  // InputError naming network.activation
std::string to_string(Activation a);

template <class Scalar>
struct ActDerivs {
  Scalar s0, s1, s2, s3;  // σ, σ', σ'', σ'''
  Scalar u;               // activation_base (below)
};

// The one transcendental a unit needs, from which σ', σ'', σ''' are polynomials (with z):
// tanh(z) for tanh, the logistic sigmoid(βz) for softplus, sigmoid(z) for SiLU. The forward
// jets keep it per unit, so that the reverse sweep evaluates no exp/tanh at all.
template <class Scalar>
KOKKOS_INLINE_FUNCTION Scalar activation_base(Activation a, Scalar z, Scalar beta) {
  if (a == Activation::tanh) return kmath::tanh(z);
  const Scalar bz = a == Activation::softplus ? beta * z : z, e = kmath::exp(-kmath::fabs(bz));  // e <= 1: no overflow
  return bz >= 0 ? 1 / (1 + e) : e / (1 + e);
}

// σ', σ'', σ''' at z from u = activation_base(a, z, beta) (r.s0 is left alone).
template <class Scalar>
KOKKOS_INLINE_FUNCTION void activation_derivs(Activation a, Scalar z, Scalar u, Scalar beta, ActDerivs<Scalar>& r) {
  if (a == Activation::tanh) {
    const Scalar s = 1 - u * u;
    r.s1 = s;
    r.s2 = -2 * u * s;
    r.s3 = -2 * s * (1 - 3 * u * u);
  } else if (a == Activation::softplus) {
    r.s1 = u;
    r.s2 = beta * u * (1 - u);
    r.s3 = beta * beta * u * (1 - u) * (1 - 2 * u);
  } else {                                        // SiLU: z·sigmoid(z)
    const Scalar q = u * (1 - u), v = 1 - 2 * u;  // sigmoid', sigmoid''/sigmoid'
    r.s1 = u + z * q;
    r.s2 = q * (2 + z * v);
    r.s3 = q * (v * (3 + z * v) - 2 * z * q);
  }
}

// All of σ, σ', σ'', σ''' (and u) at z. beta: softplus sharpness, softplus_β(z) =
// log(1 + e^{βz})/β (ignored by the others).
template <class Scalar>
KOKKOS_INLINE_FUNCTION ActDerivs<Scalar> activate(Activation a, Scalar z, Scalar beta) {
  ActDerivs<Scalar> r;
  Scalar& u = r.u;
  if (a == Activation::softplus) {  // the exponential serves both σ and the sigmoid
    const Scalar bz = beta * z, e = kmath::exp(-kmath::fabs(bz));
    u = bz >= 0 ? 1 / (1 + e) : e / (1 + e);
    r.s0 = ((bz > 0 ? bz : Scalar(0)) + kmath::log1p(e)) / beta;
  } else {
    u = activation_base(a, z, beta);
    r.s0 = a == Activation::tanh ? u : z * u;
  }
  activation_derivs(a, z, u, beta, r);
  return r;
}

}  // namespace boltzflow::nn
