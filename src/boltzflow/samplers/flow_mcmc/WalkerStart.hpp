#pragma once
// Where the walkers start (methods.md §4.4: walkers must start near every relevant mode).
// K start points from the deck or a file; walker g (of n) starts at point ⌊g·K/n⌋, so the
// walkers are split into K contiguous, equal blocks (e.g. half at φ ≡ +1, half at φ ≡ −1).
//   constant: start_values = c_1, ..., c_K  -> points c_k·(1, ..., 1)
//   list:     start_values = K·d numbers, row by row
//   file:     rows of an HDF5 dataset (start_file, start_dataset)
//   gaussian: x ~ N(0, init_scale² I) from Stream::init_particles (no start points)
#include <string>
#include <vector>

#include "boltzflow/config/Options.hpp"
#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Types.hpp"

namespace boltzflow::flow_mcmc {

struct WalkerStart {
  std::string kind = "gaussian";
  std::vector<double> values;  // constant / list
  std::string file, dataset;   // file
  double scale = 1.0;          // gaussian
};

// The deck keys <section>.start, .start_values, .start_file, .start_dataset, .init_scale.
void add_walker_start_options(config::po::options_description& d, const std::string& section);
WalkerStart walker_start(const config::Options& opts, const std::string& section);

// The K × d start points (empty for gaussian); InputError naming the key on a bad shape.
std::vector<std::vector<double>> start_points(const Comm& comm, const WalkerStart& s, int d,
                                              const std::string& section);
// Rows of x = walkers first_id .. first_id + local − 1 of n_global.
void place_walkers(const Comm& comm, const WalkerStart& s, int d, std::int64_t n_global, std::uint64_t first_id,
                   std::uint64_t seed, const Particles& x, const std::string& section);

}  // namespace boltzflow::flow_mcmc
