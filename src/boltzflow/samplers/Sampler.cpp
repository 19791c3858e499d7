#include "boltzflow/samplers/Sampler.hpp"

namespace boltzflow {

Decomposition Decomposition::even(const Comm& comm, std::int64_t global) {
  Decomposition d;
  d.global = global;
  const std::int64_t p = comm.size(), r = comm.rank();
  d.local = global / p + (r < global % p ? 1 : 0);
  d.offset = comm.exscan(d.local);
  return d;
}

}  // namespace boltzflow
