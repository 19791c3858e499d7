#pragma once
// Samples of (a prefix of) the model on this rank with their energies e = −log p(x).
#include <cstdint>

#include "boltzflow/core/Types.hpp"

namespace boltzflow::neural_jko {

struct Batch {
  Particles x;  // (n, d)
  Scalars e;    // (n): −log p(x), tracked exactly

  Batch() = default;
  Batch(std::int64_t n, int d) : x("boltzflow::neural_jko::x", n, d), e("boltzflow::neural_jko::e", n) {}
  std::int64_t size() const { return static_cast<std::int64_t>(x.extent(0)); }
};

// Rows [begin, begin + n) of b as a new batch (deep copy: the source may be reused).
Batch copy_rows(const Batch& b, std::int64_t begin, std::int64_t n);
// a followed by b.
Batch concatenate(const Batch& a, const Batch& b);
// Rows of b with a NaN/Inf coordinate or energy.
std::int64_t count_nonfinite(const Batch& b);

}  // namespace boltzflow::neural_jko
