#include "boltzflow/driver/Driver.hpp"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "boltzflow/Version.hpp"
#include "boltzflow/config/Options.hpp"
#include "boltzflow/core/BlasThreads.hpp"
#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Memory.hpp"
#include "boltzflow/core/Progress.hpp"
#include "boltzflow/core/Signals.hpp"
#include "boltzflow/driver/Report.hpp"
#include "boltzflow/driver/RunOutput.hpp"
#include "boltzflow/driver/Schema.hpp"
#include "boltzflow/io/TrajectoryWriter.hpp"
#include "boltzflow/driver/SchemaMarkdown.hpp"
#include "boltzflow/metrics/SampleChecks.hpp"
#include "boltzflow/samplers/Registry.hpp"
#include "boltzflow/targets/Factory.hpp"

namespace boltzflow {

namespace {

const char* usage =
    "usage: boltzflow DECK.ini [--section.key=value ...]\n"
    "       boltzflow --help | --help-markdown | --version\n"
    "Command-line values override the deck. Kokkos flags (--kokkos-...) are passed to Kokkos.\n";

std::string banner(const Comm& comm, const config::Options& opts) {
  std::ostringstream s;
  s << "boltzflow " << BOLTZFLOW_VERSION << " (" << BOLTZFLOW_GIT_HASH << "), Kokkos " << KOKKOS_VERSION / 10000 << "."
    << KOKKOS_VERSION / 100 % 100 << "." << KOKKOS_VERSION % 100 << " " << ExecSpace::name() << ", " << comm.size()
    << " MPI rank(s)\n--- resolved deck ---\n"
    << opts.resolved_text() << "---------------------";
  return s.str();
}

// An error on this rank only: the others may be waiting in a collective, and unwinding would
// run collective destructors (H5Fclose of the open output), so the job is aborted right here.
[[noreturn]] void abort_job(const Comm& comm, const char* what) {
  std::fprintf(stderr, "boltzflow: rank %d: fatal: %s\n", comm.rank(), what);
  MPI_Abort(comm.raw(), 1);
  std::abort();  // not reached
}

// Runs the sampler and writes the output. Errors every rank agrees on (bad input, a numerical
// failure, a stop signal: each decided through a global reduction) unwind normally, closing
// the open files collectively; any other exception aborts the job before unwinding.
int run_and_write(const Comm& comm, const config::Options& opts, const Target& target, const MethodInfo& method,
                  Sampler& sampler, Progress& progress) {
  const auto seed = opts.get<std::uint64_t>("run.seed");
  RunOutput output(comm, opts);  // opens <prefix>_samples.h5.tmp: fails early on a bad path
  try {
    const Checkpoints checkpoints(comm, opts);
    const auto trajectories = trajectory_opener(comm, opts.str("output.prefix"), opts.get<int>("output.trajectory_deflate"));
    RunContext ctx{comm, opts, target, seed, progress, &checkpoints, trajectories};
    progress.message("target " + target.name() + " (d = " + std::to_string(target.dim()) + "), method " + method.name);
    // Fault injection for the test that one rank failing alone brings the job down (e2e_driver).
    if (const char* f = std::getenv("BOLTZFLOW_FAULT_RANK"); f && std::atoi(f) == comm.rank())
      throw std::runtime_error("fault injected by BOLTZFLOW_FAULT_RANK before sampling");
    SampleSet samples = sampler.run(ctx);
    samples.scalars["wall_seconds"] = progress.elapsed();
    samples.scalars["peak_rss_mib_max_rank"] = comm.max(double(peak_host_rss_bytes()) / (1 << 20));
    if (const double dev = comm.max(double(device_used_bytes()) / (1 << 20)); dev > 0)
      samples.scalars["device_used_mib_max_rank"] = dev;
    // Never a silently NaN output file: the run fails (exit 3) and writes nothing instead.
    const std::string from = "run.method = " + method.name + " returned samples with";
    metrics::require_finite(comm, samples.x, from + " non-finite coordinates: /samples/x");
    metrics::require_energies(comm, samples.U, from + " invalid energies: /samples/log_target");
    if (samples.has_log_q) metrics::require_finite(comm, samples.log_q, from + " non-finite densities: /samples/log_q");

    Report report;
    if (opts.get<bool>("metrics.enabled")) report = compute_report(comm, opts, target, samples, seed);
    else report = sampler_scalars(samples);  // timings, acceptance, ... still reach /metrics
    progress.message(report.text());
    output.write(target, samples, report);
    output.commit();
  } catch (const InputError&) {
    throw;
  } catch (const NumericalError&) {
    throw;
  } catch (const StopRequested&) {
    throw;
  } catch (const std::exception& e) {
    // The half-written files go first: after the abort nobody would remove them.
    std::remove((output.path() + ".tmp").c_str());
    std::remove((io::trajectory_file_name(opts.str("output.prefix")) + ".tmp").c_str());
    abort_job(comm, e.what());
  }
  progress.message("wrote " + output.path());
  return 0;
}

int run_deck(const Comm& comm, const std::string& deck, const std::vector<std::string>& overrides) {
  const auto schema = full_schema();
  const auto text = config::read_deck(comm, deck);
  const auto opts = config::Options::parse(schema, text, overrides, deck);
  Progress progress(comm, opts.get<bool>("run.quiet"));
  progress.message(banner(comm, opts));
  progress.message(limit_blas_threads());

  const auto target = make_target(opts);
  const auto& method = find_method(opts.str("run.method"));
  if (method.checkpoints) install_stop_handlers();
  auto sampler = method.make(opts);
  return run_and_write(comm, opts, *target, method, *sampler, progress);
}

}  // namespace

int run_main(int argc, char* argv[]) {
  Comm comm;
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--kokkos-", 0) == 0) continue;  // a Kokkos flag this Kokkos version did not consume
    args.push_back(a);
  }
  if (args.empty()) {
    if (comm.root()) std::fprintf(stderr, "%s", usage);
    return 2;
  }
  if (args[0] == "--help" || args[0] == "-h") {
    if (comm.root()) std::cout << usage << "\n" << full_schema() << std::flush;
    return 0;
  }
  if (args[0] == "--help-markdown") {  // the deck reference that README.md embeds
    if (comm.root()) std::cout << schema_markdown(full_schema()) << std::flush;
    return 0;
  }
  if (args[0] == "--version") {
    if (comm.root()) std::cout << "boltzflow " << BOLTZFLOW_VERSION << " (" << BOLTZFLOW_GIT_HASH << ")\n";
    return 0;
  }
  try {
    return run_deck(comm, args[0], std::vector<std::string>(args.begin() + 1, args.end()));
  } catch (const InputError& e) {  // decided identically on every rank
    if (comm.root()) std::fprintf(stderr, "boltzflow: error: %s\n", e.what());
    return 2;
  } catch (const StopRequested& e) {  // agreed through a global reduction
    if (comm.root()) std::fprintf(stderr, "boltzflow: %s\n", e.what());
    return 4;
  } catch (const NumericalError& e) {  // agreed through a global reduction
    if (comm.root()) std::fprintf(stderr, "boltzflow: numerical failure: %s\n", e.what());
    return 3;
  } catch (const std::exception& e) {  // local: the other ranks may be waiting in a collective
    abort_job(comm, e.what());
  }
}

}  // namespace boltzflow
