#pragma once
// The run's HDF5 file <output.prefix>_samples.h5: opened (as *.tmp) before the run so a bad
// path fails early, written collectively at the end, renamed only when complete.
#include <memory>
#include <string>

#include "boltzflow/config/Options.hpp"
#include "boltzflow/core/Comm.hpp"
#include "boltzflow/driver/Report.hpp"
#include "boltzflow/io/H5Writer.hpp"
#include "boltzflow/samplers/Sampler.hpp"

namespace boltzflow {

class RunOutput {
 public:
  RunOutput(const Comm& comm, const config::Options& opts);
  void write(const Target& target, const SampleSet& s, const Report& report);
  void commit();
  const std::string& path() const { return path_; }

 private:
  const Comm& comm_;
  const config::Options& opts_;
  std::string path_;
  std::unique_ptr<io::H5Writer> file_;
  std::int64_t n_ = 0;
  int d_ = 0;
  io::TrajectoryLayout trajectories_;
  std::shared_ptr<io::TrajectoryWriter> trajectory_file_;  // committed with the samples file
};

}  // namespace boltzflow
