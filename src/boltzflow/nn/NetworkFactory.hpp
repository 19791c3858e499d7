#pragma once
// Networks built from a resolved [network] configuration.
#include <memory>

#include "boltzflow/nn/EnergyMlp.hpp"
#include "boltzflow/nn/NetworkOptions.hpp"
#include "boltzflow/nn/VelocityMlp.hpp"

namespace boltzflow::nn {

// A velocity field R^d × [0,1] → R^d / an energy R^d × [0,1] → R. Scalar must match
// network.precision (InputError naming the key otherwise): callers that support both
// dispatch on NetworkConfig::precision.
template <class Scalar>
std::unique_ptr<VelocityMlp<Scalar>> make_velocity_mlp(const NetworkConfig& config, int dim);
template <class Scalar>
std::unique_ptr<EnergyMlp<Scalar>> make_energy_mlp(const NetworkConfig& config, int dim);

}  // namespace boltzflow::nn
