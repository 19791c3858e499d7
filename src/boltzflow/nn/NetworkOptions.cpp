#include "boltzflow/nn/NetworkOptions.hpp"

#include <limits>

namespace boltzflow::nn {

void add_network_options(config::po::options_description& d) {
  using namespace config;
  add<int>(d, "network.width", 64, "neurons per hidden layer", 1, 65536);
  add<int>(d, "network.depth", 3, "number of hidden layers", 1, 64);
  add_choice(d, "network.activation", "tanh", {"tanh", "softplus", "silu"},
             "hidden activation (softplus: log(1 + exp(beta z))/beta; silu = swish z sigmoid(z))");
  add<double>(d, "network.softplus_beta", 1.0, "softplus sharpness beta (Annealing Flow uses 20)", 1e-6, 1e6);
  add_choice(d, "network.time", "linear", {"none", "linear", "fourier"},
             "time input: none (autonomous field), t, or t with sin/cos(2 pi k t), k = 1..fourier_features");
  add<int>(d, "network.fourier_features", 4, "number of Fourier frequencies for network.time = fourier", 1, 1024);
  add_choice(d, "network.precision", "double", {"double", "float"}, "network arithmetic (float: for GPUs)");
  add<std::uint64_t>(d, "network.init_seed", 1, "seed of the weight initialisation U(+-1/sqrt(fan_in))", 0,
                     std::numeric_limits<std::uint64_t>::max());
  add_bool(d, "network.zero_last", false, "start with a zero last layer (the network output is 0)");
}

NetworkConfig network_config(const config::Options& opts) {
  NetworkConfig c;
  c.shape.width = opts.get<int>("network.width");
  c.shape.depth = opts.get<int>("network.depth");
  c.shape.activation = activation_from_string(opts.str("network.activation"));
  c.shape.softplus_beta = opts.get<double>("network.softplus_beta");
  c.shape.time = time_input_from_string(opts.str("network.time"));
  c.shape.fourier_features = opts.get<int>("network.fourier_features");
  c.precision = opts.str("network.precision") == "float" ? Precision::float32 : Precision::float64;
  c.init_seed = opts.get<std::uint64_t>("network.init_seed");
  c.zero_last = opts.get<bool>("network.zero_last");
  return c;
}

}  // namespace boltzflow::nn
