#include "boltzflow/driver/RunOutput.hpp"

#include <cmath>
#include <ctime>

#include "boltzflow/Version.hpp"
#include "boltzflow/io/TrajectoryXdmf.hpp"
#include "boltzflow/io/Xdmf.hpp"

namespace boltzflow {

RunOutput::RunOutput(const Comm& comm, const config::Options& opts)
    : comm_(comm), opts_(opts), path_(opts.str("output.prefix") + "_samples.h5") {
  file_ = std::make_unique<io::H5Writer>(comm, path_);
}

void RunOutput::write(const Target& target, const SampleSet& s, const Report& report) {
  auto& f = *file_;
  n_ = s.dec.global;
  d_ = target.dim();
  f.write_string("/config/deck", opts_.deck_text());
  f.write_string("/config/resolved", opts_.resolved_text());
  char date[32];
  const std::time_t now = std::time(nullptr);
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  f.attribute("/meta", "version", std::string(BOLTZFLOW_VERSION));
  f.attribute("/meta", "git_hash", std::string(BOLTZFLOW_GIT_HASH));
  f.attribute("/meta", "mpi_ranks", std::int64_t(comm_.size()));
  f.attribute("/meta", "kokkos_version", std::int64_t(KOKKOS_VERSION));
  f.attribute("/meta", "execution_space", std::string(ExecSpace::name()));
  f.attribute("/meta", "seed", std::int64_t(opts_.get<std::uint64_t>("run.seed")));
  f.attribute("/meta", "method", opts_.str("run.method"));
  f.attribute("/meta", "target", target.name());
  f.attribute("/meta", "dim", std::int64_t(d_));
  f.attribute("/meta", "created", std::string(date));

  // Samples: x, id, U, log_target, log_q, log_w (NaN where the sampler has no density).
  f.write_rows_from("/samples/x", s.x);
  Vector<std::int64_t, HostSpace> id("id", s.dec.local);
  for (std::int64_t i = 0; i < s.dec.local; ++i) id(i) = s.dec.offset + i;
  f.write_rows("/samples/id", id);
  auto U = Kokkos::create_mirror_view_and_copy(HostSpace(), s.U);
  auto lq = Kokkos::create_mirror_view_and_copy(HostSpace(), s.log_q);
  Vector<double, HostSpace> lt("log_target", U.extent(0)), lw("log_w", U.extent(0));
  for (std::size_t i = 0; i < U.extent(0); ++i) {
    lt(i) = -U(i);
    lw(i) = s.has_log_q ? -U(i) - lq(i) : std::nan("");
  }
  f.write_rows("/samples/U", U);
  f.write_rows("/samples/log_target", lt);
  f.write_rows("/samples/log_q", lq);
  f.write_rows("/samples/log_w", lw);
  // Decided from a global quantity: the collective write must happen on every rank or none (a
  // rank-local test such as "labels as long as x" holds on its own on a rank without particles).
  if (!report.mode_weights.empty()) f.write_rows_from("/samples/mode", report.labels);

  for (const auto& [name, series] : s.series) f.write_array("/diagnostics/" + name, series, {series.size()});
  for (const auto& [name, v] : report.values) f.attribute("/metrics", name, v);
  if (!report.mode_weights.empty()) {
    f.write_array("/metrics/mode_weights", report.mode_weights, {report.mode_weights.size()});
    if (report.exact_mode_weights.size() == report.mode_weights.size())
      f.write_array("/metrics/mode_weights_exact", report.exact_mode_weights, {report.exact_mode_weights.size()});
  }
  for (const auto& [name, t] : target.parameters()) f.write_array("/target/" + name, t.values, {t.rows, t.cols});
  if (target.has_log_z()) f.attribute("/target", "log_z", target.log_z());
  if (s.write_extra) s.write_extra(f);
  trajectories_ = s.trajectories;
  trajectory_file_ = s.trajectory_file;
}

void RunOutput::commit() {
  if (trajectory_file_) trajectory_file_->commit();  // first: the samples file may link to it
  file_->commit();
  if (opts_.get<bool>("output.xdmf") && comm_.root()) {
    const auto slash = path_.find_last_of('/');
    const auto base = slash == std::string::npos ? path_ : path_.substr(slash + 1);
    io::write_xdmf(path_.substr(0, path_.size() - 3) + ".xmf", base, n_, d_, "/samples/x",
                   {"/samples/U", "/samples/log_q", "/samples/log_w"});
    // <prefix>_trajectories.xmf: ParaView's animation of the particle paths (1-D paths are skipped).
    if (io::drawable(trajectories_))
      io::write_trajectory_xdmf(path_.substr(0, path_.size() - 11) + "_trajectories.xmf",
                                trajectories_.file.empty() ? base : trajectories_.file, trajectories_);
  }
}

}  // namespace boltzflow
