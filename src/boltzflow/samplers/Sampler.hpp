#pragma once
// A sampler method: owns its state, runs to completion, and hands back the distributed
// sample set. Each method is one folder under samplers/ and one entry in the Registry.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "boltzflow/config/Options.hpp"
#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Progress.hpp"
#include "boltzflow/core/Types.hpp"
#include "boltzflow/io/H5Writer.hpp"
#include "boltzflow/io/TrajectoryWriter.hpp"
#include "boltzflow/io/TrajectoryXdmf.hpp"
#include "boltzflow/samplers/Checkpoint.hpp"
#include "boltzflow/targets/Target.hpp"

namespace boltzflow {

// Particle decomposition: rank r holds global rows [offset, offset + local) of `global`.
struct Decomposition {
  std::int64_t global = 0, local = 0, offset = 0;
  static Decomposition even(const Comm& comm, std::int64_t global);
};

// What every sampler returns: this rank's slice of the samples and per-sample records
// (log_q is NaN where the sampler has no density), plus run diagnostics.
struct SampleSet {
  Decomposition dec;
  Particles x;
  Scalars U;      // U(x)
  Scalars log_q;  // the sampler's own log-density of x, or NaN
  bool has_log_q = false;
  // Collective: the model's log q at arbitrary points (each rank passes its rows of x; log_q
  // gets one value per row), valid while the sampler lives; empty where the sampler has no
  // density at given points. The report evaluates it at exact target samples (EUBO).
  std::function<void(const Particles& x, const Scalars& log_q)> log_density;
  // Per-step series (identical on all ranks), e.g. acceptance, step size, loss.
  std::map<std::string, std::vector<double>> series;
  // Scalars for /metrics (acceptance rate, NFE, wall times, ...), identical on all ranks.
  std::map<std::string, double> scalars;
  // Per-chain traces of scalar observables (n_record x local chains), for IAT.
  std::map<std::string, Matrix<Real, HostSpace>> traces;
  // Method-specific datasets (networks, per-block losses, trajectories, β schedule):
  // called collectively on every rank with the open output file, before it is committed.
  std::function<void(io::H5Writer&)> write_extra;
  // The (n, frames, d) particle-path dataset the run stored, if any (n = 0: none), so the
  // driver can write the trajectory XDMF sidecar without reopening the file.
  io::TrajectoryLayout trajectories;
  // The trajectory file streamed during the run (RunContext::open_trajectories), if any: the
  // driver commits it with the samples file; a run that fails before leaves no such file.
  std::shared_ptr<io::TrajectoryWriter> trajectory_file;
};

// Collective: opens the run's trajectory file for this rank's local_rows paths in dimension d,
// one frame per entry of times.
using TrajectoryOpener =
    std::function<std::shared_ptr<io::TrajectoryWriter>(std::int64_t local_rows, int d, const std::vector<double>& times)>;
// The opener of <prefix>_trajectories.h5 on comm (which must outlive it), deflate level 0..9.
TrajectoryOpener trajectory_opener(const Comm& comm, const std::string& prefix, int deflate);

struct RunContext {
  const Comm& comm;
  const config::Options& opts;
  const Target& target;
  std::uint64_t seed;
  Progress& progress;
  const Checkpoints* checkpoints = nullptr;  // checkpoint/restart policy (none in unit tests)
  // <output.prefix>_trajectories.h5 for a sampler that streams particle paths; empty (unit
  // tests without output files): the sampler stores no paths.
  TrajectoryOpener open_trajectories;
};

class Sampler {
 public:
  virtual ~Sampler() = default;
  virtual SampleSet run(RunContext& ctx) = 0;
};

}  // namespace boltzflow
