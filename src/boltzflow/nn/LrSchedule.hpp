#pragma once
// Learning-rate schedules: lr(step) for step = 0, 1, ...
#include <string>

namespace boltzflow::nn {

struct LrSchedule {
  enum class Kind { constant, cosine, exponential };
  Kind kind = Kind::constant;
  long total_steps = 1;  // cosine: lr0 → lr_min over total_steps
  double decay = 1.0;    // exponential: lr0 · decay^(step / every)  (integer division: staircase)
  long every = 1;
  double lr_min = 0.0;
  double at(double lr0, long step) const;
};

LrSchedule::Kind lr_schedule_from_string(const std::string& name, const std::string& key);

}  // namespace boltzflow::nn
