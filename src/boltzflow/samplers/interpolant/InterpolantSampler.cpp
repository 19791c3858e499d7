#include "boltzflow/samplers/interpolant/InterpolantSampler.hpp"

#include <cmath>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/core/Signals.hpp"
#include "boltzflow/io/H5Reader.hpp"
#include "boltzflow/metrics/Weights.hpp"
#include "boltzflow/samplers/interpolant/FlowCheckpoint.hpp"
#include "boltzflow/samplers/interpolant/FlowOptions.hpp"
#include "boltzflow/samplers/interpolant/InterpolantTrainer.hpp"

namespace boltzflow::interpolant {

namespace {
const std::string S = "interpolant";

// Global mean of a View's entries and their count.
std::pair<double, std::int64_t> global_mean(const Comm& comm, const Scalars& v) {
  double sum = 0;
  Kokkos::parallel_reduce(
      "boltzflow::interpolant::mean", Kokkos::RangePolicy<ExecSpace>(0, v.extent(0)),
      KOKKOS_LAMBDA(const int i, double& a) { a += v(i); }, sum);
  const auto n = comm.sum(std::int64_t(v.extent(0)));
  return {n > 0 ? comm.sum(sum) / double(n) : std::nan(""), n};
}
}  // namespace

void add_interpolant_options(config::po::options_description& d) {
  using namespace config;
  const auto k = [](const char* key) { return S + "." + key; };
  add_string(d, k("data"), "", "HDF5 file with the training samples (e.g. another run's _samples.h5)");
  add_string(d, k("dataset"), "/samples/x", "(N, d) dataset of samples in that file");
  add<double>(d, k("test_fraction"), 0.2, "fraction of rows held out for the test log-likelihood", 0.0, 0.9);
  add<long>(d, k("steps"), 2000, "Adam steps", 1, 1L << 31);
  add<std::int64_t>(d, k("samples"), 10000, "flow samples written (with exact log q)", 1, std::int64_t(1) << 40);
  add<long>(d, k("print_every"), 200, "progress line every k steps", 1, 1L << 31);
  add_flow_options(d, S);
}

InterpolantSampler::InterpolantSampler(const config::Options& o)
    : file_(o.str(S + ".data")),
      dataset_(o.str(S + ".dataset")),
      test_fraction_(o.get<double>(S + ".test_fraction")),
      steps_(o.get<long>(S + ".steps")),
      print_every_(o.get<long>(S + ".print_every")),
      samples_(o.get<std::int64_t>(S + ".samples")) {
  if (file_.empty()) throw InputError(S + ".data: run.method = interpolant needs an HDF5 file of samples");
}

SampleSet InterpolantSampler::run(RunContext& ctx) {
  const auto& comm = ctx.comm;
  const auto& target = ctx.target;
  const int d = target.dim();
  const auto seed = ctx.seed;

  // Read this rank's slice of the rows; split train / test by a keyed coin per row.
  io::H5Reader f(comm, file_);
  const auto dims = f.dims(dataset_);
  if (dims.size() != 2 || int(dims[1]) != d || dims[0] < 2)
    throw InputError(S + ".dataset: '" + dataset_ + "' in " + file_ + " is not an (N >= 2, " + std::to_string(d) +
                     ") dataset (d = target dimension)");
  const auto rdec = Decomposition::even(comm, std::int64_t(dims[0]));
  const auto rows = f.read_rows(dataset_, rdec.offset, rdec.local);
  const Rng coin(seed, Stream::interpolant_split);
  std::vector<std::int64_t> tr, te;
  for (std::int64_t i = 0; i < rdec.local; ++i)
    (coin.uniform(rdec.offset + i, 0, 0) < test_fraction_ ? te : tr).push_back(i);
  const auto copy_rows = [&](const std::vector<std::int64_t>& idx, const char* label) {
    Matrix<Real, HostSpace> h(std::string(label), idx.size(), d);
    for (std::size_t r = 0; r < idx.size(); ++r)
      for (int j = 0; j < d; ++j) h(r, j) = rows(idx[r], j);
    return Particles(Kokkos::create_mirror_view_and_copy(MemSpace(), h));
  };
  const Particles train = copy_rows(tr, "train"), test = copy_rows(te, "test");
  const std::int64_t n_train = comm.sum(std::int64_t(tr.size()));
  const std::int64_t train_offset = comm.exscan(std::int64_t(tr.size()));
  if (n_train < 1) throw InputError(S + ".test_fraction = " + std::to_string(test_fraction_) + " leaves no training rows");

  // Train in whitened coordinates.
  auto cnf = make_flow(ctx.opts, S, d);
  cnf->fit_whitening(comm, train, ctx.opts.get<double>(S + ".min_std"));
  InterpolantTrainer trainer(comm, cnf->field(), nn::adam_config(ctx.opts, S, steps_), flow_path(ctx.opts, S),
                             flow_minibatch(ctx.opts, S), seed);
  const auto owner = slice_owner(train_offset, std::int64_t(tr.size()));
  std::vector<double> losses;
  long done = 0;             // completed Adam steps
  double wall_before = 0;    // training seconds before a restart
  const double t0 = ctx.progress.elapsed();

  // Checkpoint = the flow (network, whitening), Adam and the losses after `done` steps; the
  // split and the data are re-read, and each step's minibatch is keyed by the step.
  const auto save = [&]() {
    auto w = ctx.checkpoints->begin(S);
    w->attribute("/state", "step", std::int64_t(done));
    w->attribute("/state", "train_rows", n_train);
    w->attribute("/state", "dim", std::int64_t(d));
    w->attribute("/state", "train_seconds", wall_before + ctx.progress.elapsed() - t0);
    if (!losses.empty()) w->write_array("/state/loss", losses, {losses.size()});
    write_flow_state(*w, "/state/flow", *cnf, trainer);
    ctx.checkpoints->commit(*w);
  };
  if (auto r = ctx.checkpoints ? ctx.checkpoints->restart(S) : nullptr) {
    const auto rows_ck = r->attribute_int64("/state", "train_rows"), d_ck = r->attribute_int64("/state", "dim");
    if (rows_ck != n_train || d_ck != d)
      throw InputError("run.restart: the checkpoint was trained on " + std::to_string(rows_ck) + " rows in dimension " +
                       std::to_string(d_ck) + ", the deck's " + S + ".data / test_fraction give " +
                       std::to_string(n_train) + " in dimension " + std::to_string(d));
    done = static_cast<long>(r->attribute_int64("/state", "step"));
    if (done > steps_)
      throw InputError("run.restart: the checkpoint is at step " + std::to_string(done) + ", " + S +
                       ".steps = " + std::to_string(steps_));
    if (r->exists("/state/loss")) losses = r->read_all_double("/state/loss");
    read_flow_state(*r, "/state/flow", *cnf, trainer);
    wall_before = r->attribute_double("/state", "train_seconds");
    ctx.progress.message("interpolant: resumed at step " + std::to_string(done) + " of " + std::to_string(steps_));
  }
  Particles white("white", train.extent(0), d);
  cnf->whiten(train, white);
  double running = 0;
  long in_running = 0;
  ctx.progress.start("interpolant", steps_, print_every_);
  for (long k = done; k < steps_; ++k) {
    const double l = trainer.step(white, n_train, owner, static_cast<std::uint32_t>(k + 1), S);
    losses.push_back(l);
    running += l;
    ++in_running;
    ctx.progress.update(k + 1, {{"loss", running / double(in_running)}});
    if ((k + 1) % print_every_ == 0) running = 0, in_running = 0;
    done = k + 1;
    // A checkpoint when due, at the end of training, or on a stop signal (a collective, polled
    // every 16 steps: the same decision on every rank).
    if (ctx.checkpoints) {
      const bool stop = done % 16 == 0 && stop_requested(comm);
      if (stop || done == steps_ || ctx.checkpoints->due(done)) save();
      if (stop)
        throw StopRequested("interpolant: stopped by signal at step " + std::to_string(done) + " of " +
                            std::to_string(steps_) + ", checkpoint " + ctx.checkpoints->path());
    }
  }
  const double train_wall = wall_before + ctx.progress.elapsed() - t0;

  SampleSet out;
  auto& sc = out.scalars;
  sc["train_rows"] = double(n_train);
  sc["train_seconds"] = train_wall;
  sc["final_loss"] = losses.empty() ? std::nan("") : losses.back();
  // Test-set log-likelihood under the flow (and under the exact target when log Z is known).
  Scalars test_lq("test_log_q", test.extent(0));
  cnf->log_density(test, test_lq);
  const auto [ll, n_test] = global_mean(comm, test_lq);
  sc["test_rows"] = double(n_test);
  if (n_test > 0) {
    sc["test_log_likelihood"] = ll;
    if (target.has_log_z()) {
      Scalars U("test_U", test.extent(0));
      target.energy(test, U);
      sc["test_log_likelihood_target"] = -global_mean(comm, U).first - target.log_z();
    }
  }

  // Fresh samples of the trained flow with exact log q.
  out.dec = Decomposition::even(comm, samples_);
  out.x = Particles("interpolant_x", out.dec.local, d);
  out.U = Scalars("interpolant_U", out.dec.local);
  out.log_q = Scalars("interpolant_log_q", out.dec.local);
  cnf->sample(seed, Stream::flow_draws, out.dec.offset, 0, out.x, out.log_q);
  target.energy(out.x, out.U);
  out.has_log_q = true;
  sc["flow_nfe"] = double(cnf->nfe());
  out.series["loss"] = losses;

  const FlowSnapshot net(*cnf);
  const auto htest = Kokkos::create_mirror_view_and_copy(HostSpace(), test_lq);
  const std::string src = file_ + ":" + dataset_;
  out.write_extra = [=](io::H5Writer& w) {
    w.attribute("/interpolant", "data", src);
    net.write(w, "/interpolant/network");
    w.write_rows("/interpolant/test_log_q", htest);
  };
  return out;
}

}  // namespace boltzflow::interpolant
