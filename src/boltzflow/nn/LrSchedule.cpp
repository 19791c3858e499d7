#include "boltzflow/nn/LrSchedule.hpp"

#include <algorithm>
#include <cmath>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Math.hpp"

namespace boltzflow::nn {

double LrSchedule::at(double lr0, long step) const {
  switch (kind) {
    case Kind::constant:
      return lr0;
    case Kind::cosine: {
      // Half a cosine period from lr0 down to lr_min, then held at lr_min.
      const long n = std::max(1L, total_steps);
      const double frac = static_cast<double>(std::min(std::max(step, 0L), n)) / static_cast<double>(n);
      return lr_min + 0.5 * (lr0 - lr_min) * (1.0 + std::cos(constants::pi * frac));
    }
    case Kind::exponential: {
      // Staircase decay, floored at lr_min (0 by default: no floor).
      const long k = std::max(step, 0L) / std::max(1L, every);
      return std::max(lr_min, lr0 * std::pow(decay, static_cast<double>(k)));
    }
  }
  return lr0;
}

LrSchedule::Kind lr_schedule_from_string(const std::string& name, const std::string& key) {
  if (name == "constant") return LrSchedule::Kind::constant;
  if (name == "cosine") return LrSchedule::Kind::cosine;
  if (name == "exponential") return LrSchedule::Kind::exponential;
  throw InputError(key + " = '" + name + "' is not one of constant|cosine|exponential");
}

}  // namespace boltzflow::nn
