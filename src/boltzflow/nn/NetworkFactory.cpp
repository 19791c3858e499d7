#include "boltzflow/nn/NetworkFactory.hpp"

#include <type_traits>

#include "boltzflow/core/Error.hpp"

namespace boltzflow::nn {

namespace {
template <class Scalar>
MlpShape checked_shape(const NetworkConfig& c, int dim, int outputs) {
  const bool is_float = std::is_same<Scalar, float>::value;
  if (is_float != (c.precision == Precision::float32))
    throw InputError(std::string("network.precision = ") + (is_float ? "double" : "float") +
                     " is not supported here (this code path runs in " + (is_float ? "float" : "double") + ")");
  BOLTZFLOW_ASSERT(dim > 0, "network: dimension must be positive");
  MlpShape s = c.shape;
  s.dim = dim;
  s.outputs = outputs;
  return s;
}
}  // namespace

template <class Scalar>
std::unique_ptr<VelocityMlp<Scalar>> make_velocity_mlp(const NetworkConfig& c, int dim) {
  return std::make_unique<VelocityMlp<Scalar>>(checked_shape<Scalar>(c, dim, dim), c.init_seed, c.zero_last);
}

template <class Scalar>
std::unique_ptr<EnergyMlp<Scalar>> make_energy_mlp(const NetworkConfig& c, int dim) {
  return std::make_unique<EnergyMlp<Scalar>>(checked_shape<Scalar>(c, dim, 1), c.init_seed, c.zero_last);
}

template std::unique_ptr<VelocityMlp<double>> make_velocity_mlp<double>(const NetworkConfig&, int);
template std::unique_ptr<VelocityMlp<float>> make_velocity_mlp<float>(const NetworkConfig&, int);
template std::unique_ptr<EnergyMlp<double>> make_energy_mlp<double>(const NetworkConfig&, int);
template std::unique_ptr<EnergyMlp<float>> make_energy_mlp<float>(const NetworkConfig&, int);

}  // namespace boltzflow::nn
