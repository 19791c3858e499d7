#pragma once
// Errors: InputError for anything the user can fix (exit 2, one line, decided on every rank),
// BOLTZFLOW_ASSERT for internal invariants (always on, with condition and file:line).
#include <stdexcept>
#include <string>

namespace boltzflow {

// Bad input: deck key, value, file. Thrown identically on all ranks (or after an agreed flag).
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Numerical failure during a run (NaN in training, ...): exit 3.
class NumericalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

[[noreturn]] void assertion_failed(const char* cond, const char* file, int line, const std::string& msg);

}  // namespace boltzflow

#define BOLTZFLOW_ASSERT(cond, msg)                                                   \
  do {                                                                                \
    if (!(cond)) ::boltzflow::assertion_failed(#cond, __FILE__, __LINE__, (msg));     \
  } while (0)
