#pragma once
// Importance resampling of distributed weighted samples: systematic resampling over the
// GLOBAL cumulative weights (one uniform for all ranks), so every rank keeps copies of its own
// rows only and nothing but two scalars per rank is communicated.
#include <cstdint>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Types.hpp"

namespace boltzflow::annealing_flow {

struct Resampled {
  HostParticles x;                         // this rank's resampled rows (count varies per rank)
  Vector<std::int64_t, HostSpace> source;  // global id of the original sample of each row
};

// log_w: this rank's log-weights (−∞ allowed); first_id: global id of its first row. Draws as
// many samples as there are in total.
Resampled systematic_resample(const Comm& comm, const Particles& x, const Scalars& log_w, std::uint64_t first_id,
                              std::uint64_t seed);

}  // namespace boltzflow::annealing_flow
