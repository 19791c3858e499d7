#pragma once
// [target] deck section and the factory that builds the chosen target.
#include <memory>

#include "boltzflow/config/Options.hpp"
#include "boltzflow/targets/Target.hpp"

namespace boltzflow {

void add_target_options(config::po::options_description& d);
std::unique_ptr<Target> make_target(const config::Options& opts);

}  // namespace boltzflow
