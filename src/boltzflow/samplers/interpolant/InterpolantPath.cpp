#include "boltzflow/samplers/interpolant/InterpolantPath.hpp"

#include "boltzflow/core/Error.hpp"

namespace boltzflow::interpolant {

PathKind path_from_string(const std::string& name, const std::string& key) {
  if (name == "linear") return PathKind::linear;
  if (name == "trigonometric") return PathKind::trigonometric;
  throw InputError(key + " = '" + name + "': expected linear or trigonometric");
}

NoiseKind noise_from_string(const std::string& name, const std::string& key) {
  if (name == "none") return NoiseKind::none;
  if (name == "sqrt") return NoiseKind::sqrt;
  if (name == "quadratic") return NoiseKind::quadratic;
  if (name == "sin2") return NoiseKind::sin2;
  throw InputError(key + " = '" + name + "': expected none, sqrt, quadratic or sin2");
}

}  // namespace boltzflow::interpolant
