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

TrajectoryOpener trajectory_opener(const Comm& comm, const std::string& prefix, int deflate) {
  return [&comm, prefix, deflate](std::int64_t rows, int d, const std::vector<double>& times) {
    return std::make_shared<io::TrajectoryWriter>(comm, io::trajectory_file_name(prefix), rows, d, times, deflate);
  };
}

}  // namespace boltzflow
