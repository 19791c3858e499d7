#include "boltzflow/samplers/fisher_rao/Interpolation.hpp"

#include "boltzflow/core/Error.hpp"

namespace boltzflow::fisher_rao {

Interpolation interpolation_from_string(const std::string& name) {
  if (name == "gradient_flow") return Interpolation::gradient_flow;
  if (name == "linear") return Interpolation::linear;
  if (name == "learned") return Interpolation::learned;
  throw InputError("fisher_rao.interpolation = '" + name + "': use gradient_flow, linear or learned");
}

std::string to_string(Interpolation i) {
  switch (i) {
    case Interpolation::gradient_flow: return "gradient_flow";
    case Interpolation::linear: return "linear";
    case Interpolation::learned: return "learned";
  }
  return "?";
}

}  // namespace boltzflow::fisher_rao
