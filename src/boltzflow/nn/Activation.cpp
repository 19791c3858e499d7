#include "boltzflow/nn/Activation.hpp"

#include "boltzflow/core/Error.hpp"

namespace boltzflow::nn {

Activation activation_from_string(const std::string& s) {
  if (s == "tanh") return Activation::tanh;
  if (s == "softplus") return Activation::softplus;
  if (s == "silu" || s == "swish") return Activation::silu;
  throw InputError("network.activation = '" + s + "' is not one of tanh|softplus|silu");
}

std::string to_string(Activation a) {
  return a == Activation::tanh ? "tanh" : a == Activation::softplus ? "softplus" : "silu";
}

}  // namespace boltzflow::nn
