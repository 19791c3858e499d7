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

// tanh from one exponential, within a few ulp of libm's (tested): libm's tanh goes through
// expm1 and costs about twice as much, and the jets evaluate one tanh per (particle, unit).
// Below |z| = 0.625, where 1 − 2/(e^{2|z|} + 1) would cancel, Cephes' rational approximation
// (tanh.c / tanhf.c, S. L. Moshier).
template <class Scalar>
KOKKOS_INLINE_FUNCTION Scalar tanh_exp(Scalar z) {
  const Scalar a = kmath::fabs(z);
  if (a < Scalar(0.625)) {
    const Scalar q = z * z;
    if constexpr (sizeof(Scalar) == sizeof(float)) {
      const Scalar p = (((-5.70498872745e-3f * q + 2.06390887954e-2f) * q - 5.37397155531e-2f) * q + 1.33314422036e-1f) * q -
                       3.33332819422e-1f;
      return z + z * q * p;
    } else {
      const Scalar p = (-9.64399179425052238628e-1 * q - 9.92877231001918586564e1) * q - 1.61468768441708447952e3;
      const Scalar r = ((q + 1.12811678491632931402e2) * q + 2.23548839060100448583e3) * q + 4.84406305325125486048e3;
      return z + z * q * p / r;
    }
  }
  const Scalar t = 1 - 2 / (kmath::exp(2 * a) + 1);  // e^{2|z|} = inf gives 1; NaN stays NaN
  return z < 0 ? -t : t;
}

// The one transcendental a unit needs, from which σ', σ'', σ''' are polynomials (with z):
// tanh(z) for tanh, the logistic sigmoid(βz) for softplus, sigmoid(z) for SiLU. The forward
// jets keep it per unit, so that the reverse sweep evaluates no exp/tanh at all.
template <class Scalar>
KOKKOS_INLINE_FUNCTION Scalar activation_base(Activation a, Scalar z, Scalar beta) {
  if (a == Activation::tanh) return tanh_exp(z);
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
