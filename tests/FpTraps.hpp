#pragma once
// tests/main.cpp traps FE_INVALID so that a NaN born in a kernel fails loudly. A test that
// feeds NaN on purpose (to check that it is reported) turns the trap off for its scope: NaN
// operands then flow through comparisons (which raise FE_INVALID) as they do in a real run.
#include <fenv.h>

namespace testutil {
class FpTrapsOff {
 public:
  FpTrapsOff() : saved_(fegetexcept()) { fedisableexcept(FE_INVALID); }
  ~FpTrapsOff() {
    feclearexcept(FE_INVALID);
    feenableexcept(saved_);
  }
  FpTrapsOff(const FpTrapsOff&) = delete;
  FpTrapsOff& operator=(const FpTrapsOff&) = delete;

 private:
  int saved_;
};
}  // namespace testutil
