#pragma once
// The full deck schema: [run], [output], [metrics] plus every module's and method's section.
#include "boltzflow/config/Options.hpp"

namespace boltzflow {
config::po::options_description full_schema();
}
