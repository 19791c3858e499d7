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
};

// beta: softplus sharpness, softplus_β(z) = log(1 + e^{βz})/β (ignored by the others).
template <class Scalar>
KOKKOS_INLINE_FUNCTION ActDerivs<Scalar> activate(Activation a, Scalar z, Scalar beta) {
  ActDerivs<Scalar> r;
  if (a == Activation::tanh) {
    const Scalar t = kmath::tanh(z), s = 1 - t * t;
    r.s0 = t;
    r.s1 = s;
    r.s2 = -2 * t * s;
    r.s3 = -2 * s * (1 - 3 * t * t);
  } else if (a == Activation::softplus) {
    const Scalar bz = beta * z, e = kmath::exp(-kmath::fabs(bz));  // e <= 1: no overflow
    const Scalar p = bz >= 0 ? 1 / (1 + e) : e / (1 + e);          // sigmoid(βz)
    r.s0 = ((bz > 0 ? bz : Scalar(0)) + kmath::log1p(e)) / beta;
    r.s1 = p;
    r.s2 = beta * p * (1 - p);
    r.s3 = beta * beta * p * (1 - p) * (1 - 2 * p);
  } else {  // SiLU: z·sigmoid(z)
    const Scalar e = kmath::exp(-kmath::fabs(z));
    const Scalar p = z >= 0 ? 1 / (1 + e) : e / (1 + e);
    const Scalar q = p * (1 - p), u = 1 - 2 * p;  // sigmoid', sigmoid''/sigmoid'
    r.s0 = z * p;
    r.s1 = p + z * q;
    r.s2 = q * (2 + z * u);
    r.s3 = q * (u * (3 + z * u) - 2 * z * q);
  }
  return r;
}

}  // namespace boltzflow::nn
