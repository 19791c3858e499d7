#include "boltzflow/samplers/Checkpoint.hpp"

#include <Kokkos_Core.hpp>
#include <fstream>

#include "boltzflow/Version.hpp"
#include "boltzflow/core/Error.hpp"

namespace boltzflow {

void add_checkpoint_options(config::po::options_description& d) {
  using namespace config;
  add<long>(d, "run.checkpoint_every", 0,
            "write <prefix>_checkpoint.h5 every k steps (MCMC: moves; annealing_flow: blocks; neural_jko: CNF and "
            "rejection steps; fisher_rao: training iterations; flow_mcmc: burn-in moves, then iterations; interpolant: "
            "Adam steps); 0 = none by count. Always on SIGTERM/SIGUSR1, and for fisher_rao, flow_mcmc and interpolant "
            "also at the end of each phase (training), so a stop while sampling keeps the trained networks",
            0, 1L << 40);
  add_string(d, "run.restart", "", "resume from this checkpoint file; 'auto' = the run's own checkpoint if it exists");
}

Checkpoints::Checkpoints(const Comm& comm, const config::Options& opts)
    : comm_(comm),
      path_(opts.str("output.prefix") + "_checkpoint.h5"),
      deck_(opts.resolved_text()),
      every_(opts.get<long>("run.checkpoint_every")) {
  const auto r = opts.str("run.restart");
  if (r == "auto") {
    if (std::ifstream(path_).good()) restart_from_ = path_;
  } else if (!r.empty()) {
    if (!std::ifstream(r).good()) throw InputError("run.restart: cannot read checkpoint file '" + r + "'");
    restart_from_ = r;
  }
}

std::unique_ptr<io::H5Reader> Checkpoints::restart(const std::string& method) const {
  if (restart_from_.empty()) return nullptr;
  auto r = std::make_unique<io::H5Reader>(comm_, restart_from_);
  const auto m = r->attribute_string("/checkpoint", "method");
  if (m != method)
    throw InputError("run.restart: '" + restart_from_ + "' is a checkpoint of method '" + m + "', not '" + method + "'");
  return r;
}

std::unique_ptr<io::H5Writer> Checkpoints::begin(const std::string& method) const {
  auto w = std::make_unique<io::H5Writer>(comm_, path_);
  w->attribute("/checkpoint", "method", method);
  w->attribute("/checkpoint", "mpi_ranks", std::int64_t(comm_.size()));
  // Provenance: which code and deck wrote it (hpc-conventions §11).
  w->attribute("/checkpoint", "version", std::string(BOLTZFLOW_VERSION));
  w->attribute("/checkpoint", "git_hash", std::string(BOLTZFLOW_GIT_HASH));
  w->attribute("/checkpoint", "kokkos_version", std::int64_t(KOKKOS_VERSION));
  w->write_string("/checkpoint/deck", deck_);
  return w;
}

void Checkpoints::commit(io::H5Writer& w) const { w.commit(); }

}  // namespace boltzflow
