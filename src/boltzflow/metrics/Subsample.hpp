#pragma once
// A seeded random subsample of a distributed sample, for the O(NM) pair metrics (energy
// distance, MMD) of large runs: global row g is kept when a uniform keyed by (seed, g) falls
// below keep / global_rows, so the kept set (about `keep` rows, binomially) does not depend on
// the rank count. Each rank returns its kept rows in their original order.
#include <cstdint>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Types.hpp"

namespace boltzflow::metrics {

// `offset` = global id of this rank's first row. keep >= global rows: x itself.
Particles subsample_rows(const Comm& comm, const Particles& x, std::int64_t offset, std::int64_t keep,
                         std::uint64_t seed);

}  // namespace boltzflow::metrics
