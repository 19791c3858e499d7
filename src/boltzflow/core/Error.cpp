#include "boltzflow/core/Error.hpp"

namespace boltzflow {
void assertion_failed(const char* cond, const char* file, int line, const std::string& msg) {
  throw std::logic_error(std::string("internal error: ") + msg + " (" + cond + " failed at " + file + ":" +
                         std::to_string(line) + ")");
}
}  // namespace boltzflow
