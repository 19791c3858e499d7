#pragma once
// Deck keys of section [network] and the resolved network configuration they describe.
#include <cstdint>

#include "boltzflow/config/Options.hpp"
#include "boltzflow/nn/MlpLayout.hpp"

namespace boltzflow::nn {

enum class Precision { float64, float32 };

struct NetworkConfig {
  MlpShape shape;  // dim and outputs are set by the factory
  Precision precision = Precision::float64;
  std::uint64_t init_seed = 1;
  bool zero_last = false;
};

// network.width, .depth, .activation, .softplus_beta, .time, .fourier_features, .precision,
// .init_seed, .zero_last
void add_network_options(config::po::options_description& d);
NetworkConfig network_config(const config::Options& opts);

}  // namespace boltzflow::nn
