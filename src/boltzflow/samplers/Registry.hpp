#pragma once
// run.method -> sampler module. Each method declares its own deck section; a new method is
// one folder under samplers/ plus one entry in Registry.cpp.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "boltzflow/samplers/Sampler.hpp"

namespace boltzflow {

struct MethodInfo {
  std::string name;
  std::string help;
  std::function<void(config::po::options_description&)> add_options;  // its [section] keys
  std::function<std::unique_ptr<Sampler>(const config::Options&)> make;
  // Writes checkpoints and stops cleanly on SIGTERM/SIGUSR1. Methods without it keep the default
  // signal action, so a signal ends them at once instead of being ignored until the run ends.
  bool checkpoints = false;
};

const std::vector<MethodInfo>& methods();
const MethodInfo& find_method(const std::string& name);  // InputError listing the choices
std::vector<std::string> method_names();

}  // namespace boltzflow
