#include "boltzflow/samplers/fisher_rao/LogTargetWeight.hpp"

#include <cmath>

#include "boltzflow/core/Error.hpp"

namespace boltzflow::fisher_rao {

LogTargetWeight log_target_weight_from_string(const std::string& name) {
  if (name == "affine") return LogTargetWeight::affine;
  if (name == "nonnegative") return LogTargetWeight::nonnegative;
  throw InputError("fisher_rao.schedule: unknown weight '" + name + "' (affine, nonnegative)");
}

std::string to_string(LogTargetWeight w) { return w == LogTargetWeight::affine ? "affine" : "nonnegative"; }

WeightJet log_target_weight(LogTargetWeight w, double t, double g, double gdot) {
  if (w == LogTargetWeight::affine) return {t * g + 1 - t, g + t * gdot - 1, t, 1.0, t};
  // a = (1 − t) e^{tg}, a' = e^{tg} [(1 − t)(g + t g') − 1].
  const double e = std::exp(t * g), a = (1 - t) * e, s = g + t * gdot;
  const double adot = e * ((1 - t) * s - 1);
  return {a, adot, t * a, t * adot + (1 - t) * e, t * a};
}

}  // namespace boltzflow::fisher_rao
