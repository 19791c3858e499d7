#pragma once
// The [target] deck section (keys "target.*", each with a default, a help line and a range)
// and the factory that builds the chosen target. Impossible combinations (odd dimension for
// ManyWell, weights not summing to 1, a dimension that contradicts a preset, a key the chosen
// target does not use, ...) are InputErrors naming the key.
#include <memory>
#include <string>
#include <vector>

#include "boltzflow/config/Options.hpp"
#include "boltzflow/targets/Target.hpp"

namespace boltzflow {

// Every value target.name accepts.
const std::vector<std::string>& target_names();

void add_target_options(config::po::options_description& d);
std::unique_ptr<Target> make_target(const config::Options& opts);

}  // namespace boltzflow
