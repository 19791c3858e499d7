#include "boltzflow/samplers/annealing_flow/AnnealingFlow.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/core/Signals.hpp"
#include "boltzflow/nn/VelocityMlp.hpp"
#include "boltzflow/samplers/annealing_flow/AnnealedEnergy.hpp"
#include "boltzflow/samplers/annealing_flow/Langevin.hpp"
#include "boltzflow/samplers/annealing_flow/Resampling.hpp"
#include "boltzflow/samplers/cnf/BlockCheckpoint.hpp"

namespace boltzflow::annealing_flow {

namespace {

// Global mean of a per-particle quantity.
double global_mean(const Comm& comm, const Scalars& v, std::int64_t n_global) {
  double s = 0;
  Kokkos::parallel_reduce(
      "boltzflow::annealing_flow::mean", Kokkos::RangePolicy<ExecSpace>(0, v.extent(0)),
      KOKKOS_LAMBDA(const int i, double& a) { a += v(i); }, s);
  return comm.sum(s) / double(n_global);
}

// Self-normalised importance-weighted mode weights Σ_{i∈k} w_i / Σ_i w_i (MPI-global).
std::vector<double> weighted_mode_weights(const Comm& comm, const Target& target, const Particles& x,
                                          const Scalars& log_w) {
  const int K = target.num_modes();
  Vector<int> label("boltzflow::annealing_flow::mode", x.extent(0));
  target.assign_modes(x, label);
  auto hl = Kokkos::create_mirror_view_and_copy(HostSpace(), label);
  auto lw = Kokkos::create_mirror_view_and_copy(HostSpace(), log_w);
  double m = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < lw.extent(0); ++i) m = std::max(m, lw(i));
  m = comm.max(m);
  Vector<double, HostSpace> w("boltzflow::annealing_flow::mode_w", K + 1);  // last: total
  if (std::isfinite(m))
    for (std::size_t i = 0; i < lw.extent(0); ++i) {
      const double wi = std::exp(lw(i) - m);
      if (hl(i) >= 0) w(hl(i)) += wi;
      w(K) += wi;
    }
  comm.allreduce_sum(w);
  std::vector<double> out(K, 0.0);
  for (int k = 0; k < K; ++k) out[k] = w(K) > 0 ? w(k) / w(K) : 0.0;
  return out;
}

}  // namespace

cnf::EnergyFn AnnealingFlow::block_energy(const Target& target, int k) const {
  if (config_.truncation) {
    const auto [c, p] = truncation_relaxation(k, config_.truncation_radius, target.dim());
    return truncation_energy(c, p);
  }
  return geometric_energy(target, config_.schedule.beta(k));
}

SampleSet AnnealingFlow::run(RunContext& ctx) {
  const auto& comm = ctx.comm;
  const auto& target = ctx.target;
  const auto& cfg = config_;
  const int d = target.dim();
  const int K = cfg.schedule.blocks;
  Progress& progress = ctx.progress;

  // Training particles z ~ N(0, I) with their log-density, split over ranks.
  const auto dec = Decomposition::even(comm, cfg.particles);
  auto& st = state_;
  st = State();
  st.model.budget = cfg.train.budget;
  st.pool = Particles("boltzflow::annealing_flow::pool", dec.local, d);
  st.pool_log_q = Scalars("boltzflow::annealing_flow::pool_log_q", dec.local);
  st.model.base.sample(ctx.seed, Stream::af_pool, 0, dec.offset, st.pool);
  st.model.base.log_density(st.pool, st.pool_log_q);

  std::vector<double> betas, gammas, deltas, cs, ps, block_seconds, block_cpu, pool_kl;
  // The per-block schedule series (deterministic in k).
  const auto record_schedule = [&](int k) {
    if (cfg.truncation) {
      const auto cp = truncation_relaxation(k, cfg.truncation_radius, d);
      cs.push_back(cp.first);
      ps.push_back(cp.second);
    }
    betas.push_back(cfg.truncation ? NAN : cfg.schedule.beta(k));
    gammas.push_back(cfg.schedule.gamma(k, d));
    deltas.push_back(cfg.schedule.delta_k(k));
  };
  const auto new_block = [&](int k) {
    nn::NetworkConfig net = cfg.network;
    net.init_seed = cfg.network.init_seed + std::uint64_t(k - 1);
    return cnf::make_mlp_block(net, d, cfg.flow);
  };
  Scalars Ek("boltzflow::annealing_flow::pool_E", dec.local);
  Kokkos::Timer train_timer;
  double train_seconds_before = 0;  // training wall time before a restart

  // Checkpoint = the state after the last completed block: its networks, the training pool
  // (after Langevin) with its log q, the logs and series. Nothing else is needed for identical
  // results: Adam is re-created per block, the warm start reads the previous block, and the
  // minibatches, probes and Langevin noise are keyed by (seed, block, iteration).
  const std::string method = "annealing_flow";
  const auto save = [&]() {
    auto w = ctx.checkpoints->begin(method);
    w->write_rows_from("/state/pool", st.pool);
    w->write_rows_from("/state/pool_log_q", st.pool_log_q);
    w->attribute("/state", "completed", std::int64_t(st.completed));
    w->attribute("/state", "particles", std::int64_t(cfg.particles));
    w->attribute("/state", "dim", std::int64_t(d));
    w->attribute("/state", "train_seconds", train_seconds_before + train_timer.seconds());
    for (int j = 0; j < st.completed; ++j) {
      const std::string g = "/state/block_" + std::to_string(j + 1);
      cnf::write_block(*w, g, st.model.blocks[j], st.logs[j]);
      w->attribute(g, "block_cpu_seconds", block_cpu[j]);
      w->attribute(g, "pool_kl", pool_kl[j]);
    }
    ctx.checkpoints->commit(*w);
  };
  if (auto r = ctx.checkpoints ? ctx.checkpoints->restart(method) : nullptr) {
    const auto c = r->attribute_int64("/state", "completed");
    const auto n_ck = r->attribute_int64("/state", "particles");
    const auto d_ck = r->attribute_int64("/state", "dim");
    if (n_ck != cfg.particles || d_ck != d)
      throw InputError("run.restart: checkpoint has " + std::to_string(n_ck) + " particles in dimension " +
                       std::to_string(d_ck) + ", the deck annealing_flow.particles = " + std::to_string(cfg.particles) +
                       " in dimension " + std::to_string(d));
    if (c > K)
      throw InputError("run.restart: checkpoint has " + std::to_string(c) + " completed blocks, annealing_flow.blocks = " +
                       std::to_string(K));
    Kokkos::deep_copy(st.pool, r->read_rows("/state/pool", dec.offset, dec.local));
    {
      const auto lq = r->read_rows("/state/pool_log_q", dec.offset, dec.local);
      auto h = Kokkos::create_mirror_view(st.pool_log_q);
      for (std::int64_t i = 0; i < dec.local; ++i) h(i) = lq(i, 0);
      Kokkos::deep_copy(st.pool_log_q, h);
    }
    for (int j = 1; j <= c; ++j) {
      const std::string g = "/state/block_" + std::to_string(j);
      auto block = new_block(j);
      auto lg = cnf::read_block(*r, g, block);
      record_schedule(j);
      block_seconds.push_back(lg.seconds);
      block_cpu.push_back(r->attribute_double(g, "block_cpu_seconds"));
      pool_kl.push_back(r->attribute_double(g, "pool_kl"));
      st.model.blocks.push_back(block);
      st.logs.push_back(std::move(lg));
    }
    st.completed = static_cast<int>(c);
    train_seconds_before = r->attribute_double("/state", "train_seconds");
    progress.message("annealing_flow: resumed after block " + std::to_string(c) + " of " + std::to_string(K) + " from " +
                     ctx.checkpoints->path());
  }

  for (int k = st.completed + 1; k <= K; ++k) {
    auto block = new_block(k);
    if (cfg.warm_start && k > 1) cnf::copy_params(st.model.blocks.back(), block);

    const auto obj = cfg.train.objective(block_energy(target, k), cfg.schedule.gamma(k, d));
    auto tc = cfg.train.train_config("annealing_flow");
    // A stop signal mid-block: the block is abandoned, the checkpoint holds blocks 1..k-1.
    if (ctx.checkpoints)
      tc.poll = [&](long it) {
        if (!stop_requested(comm)) return;
        save();
        throw StopRequested("annealing_flow: stopped by signal in block " + std::to_string(k) + ", iteration " +
                            std::to_string(it) + "; checkpoint after block " + std::to_string(k - 1) + ": " +
                            ctx.checkpoints->path());
      };
    auto log = cnf::train_block(comm, block, dec, st.pool, Scalars(), obj, tc, ctx.seed, k, progress);

    // Push every training particle through the new block (exact divergence): log q stays exact.
    cnf::push(block, st.pool, st.pool_log_q, cfg.train.budget);
    // mean(log q + E_k) over the pool = KL(f_k ‖ e^{−E_k}/Z_k) − log Z_k: the block's fit.
    evaluate_energy(obj.energy, st.pool, Ek);
    const double kl = global_mean(comm, st.pool_log_q, dec.global) + global_mean(comm, Ek, dec.global);
    if (cfg.langevin_steps > 0)
      langevin_steps(obj.energy, st.pool, dec.offset, cfg.langevin_steps, cfg.langevin_step, ctx.seed, k);

    record_schedule(k);
    block_seconds.push_back(log.seconds);
    block_cpu.push_back(comm.max(log.cpu_seconds));  // the slowest rank's CPU time
    pool_kl.push_back(kl);
    char line[320];
    std::snprintf(line, sizeof line,
                  "[annealing_flow] block %d/%d done: beta=%.4g gamma=%.4g loss %.5g -> %.5g, pool mean(log q + E_k) = "
                  "%.5g, %.2f s wall (%.3g ms/iteration; CPU %.3g ms/iteration)%s",
                  k, K, betas.back(), obj.gamma, log.loss.empty() ? NAN : log.loss.front(),
                  log.loss.empty() ? NAN : log.loss.back(), kl, log.seconds, 1e3 * log.seconds_per_iteration(),
                  log.loss.empty() ? 0.0 : 1e3 * block_cpu.back() / double(log.loss.size()),
                  cfg.langevin_steps > 0 ? ", then Langevin" : "");
    progress.message(line);
    st.model.blocks.push_back(block);
    st.logs.push_back(std::move(log));
    st.completed = k;
    // run.checkpoint_every counts blocks here.
    if (ctx.checkpoints) {
      const bool stop = stop_requested(comm);
      if (stop || ctx.checkpoints->due(k)) save();
      if (stop)
        throw StopRequested("annealing_flow: stopped by signal after block " + std::to_string(k) + ", checkpoint " +
                            ctx.checkpoints->path());
    }
  }
  const double train_seconds = train_seconds_before + train_timer.seconds();

  // Output samples: fresh base draws through all blocks, exact divergence. The paths of the
  // first `trajectories` samples are streamed to the trajectory file frame by frame, frame f
  // at time f / steps_per_block (block k ends at time k; frame 0 = the base draw).
  Kokkos::Timer sample_timer;
  SampleSet out;
  out.dec = Decomposition::even(comm, cfg.samples);
  const auto n = out.dec.local;
  out.x = Particles("boltzflow::annealing_flow::x", n, d);
  out.log_q = Scalars("boltzflow::annealing_flow::log_q", n);
  out.U = Scalars("boltzflow::annealing_flow::U", n);
  std::unique_ptr<cnf::TrajectoryRecorder> rec;
  if (cfg.trajectories > 0 && ctx.open_trajectories) {
    std::vector<double> times;
    for (int f = 0; f < st.model.frames(); ++f) times.push_back(double(f) / cfg.flow.steps);
    const std::int64_t traj_rows = std::clamp<std::int64_t>(cfg.trajectories - out.dec.offset, 0, n);
    out.trajectory_file = ctx.open_trajectories(traj_rows, d, times);
    out.trajectory_file->file().attribute("/trajectories", "steps_per_block", std::int64_t(cfg.flow.steps));
    out.trajectory_file->file().attribute("/trajectories", "particles", std::string("row g: the output sample of global id g (row g of /samples/x)"));
    out.trajectories = out.trajectory_file->layout();
    rec = std::make_unique<cnf::TrajectoryRecorder>(*out.trajectory_file);
  }
  st.model.sample(ctx.seed, Stream::af_samples, out.dec.offset, out.x, out.log_q, rec.get());
  target.energy(out.x, out.U);
  out.has_log_q = true;
  out.log_density = [this](const Particles& x, const Scalars& lq) { state_.model.log_density(x, lq); };
  const double sample_seconds = sample_timer.seconds();

  Scalars log_w("boltzflow::annealing_flow::log_w", n);
  {
    const auto U = out.U, lq = out.log_q;
    Kokkos::parallel_for(
        "boltzflow::annealing_flow::log_w", Kokkos::RangePolicy<ExecSpace>(0, n),
        KOKKOS_LAMBDA(const int i) { log_w(i) = -U(i) - lq(i); });
  }

  // Series (identical on every rank): losses flattened over blocks with their block index.
  long total_iterations = 0;
  for (int k = 0; k < K; ++k) {
    const auto& lg = st.logs[k];
    auto& L = out.series["loss"];
    L.insert(L.end(), lg.loss.begin(), lg.loss.end());
    auto& G = out.series["grad_norm"];
    G.insert(G.end(), lg.grad_norm.begin(), lg.grad_norm.end());
    out.series["loss_block"].insert(out.series["loss_block"].end(), lg.loss.size(), double(k + 1));
    total_iterations += static_cast<long>(lg.loss.size());
  }
  out.series["beta"] = betas;
  out.series["gamma"] = gammas;
  out.series["block_seconds"] = block_seconds;
  out.series["block_cpu_seconds"] = block_cpu;
  out.series["pool_kl_minus_log_z"] = pool_kl;
  out.scalars["train_seconds"] = train_seconds;
  out.scalars["train_seconds_per_iteration"] = total_iterations > 0 ? train_seconds / double(total_iterations) : 0.0;
  double cpu_total = 0;
  for (double v : block_cpu) cpu_total += v;
  out.scalars["train_cpu_seconds_per_iteration"] = total_iterations > 0 ? cpu_total / double(total_iterations) : 0.0;
  out.scalars["sample_seconds"] = sample_seconds;
  out.scalars["params_per_block"] = double(st.model.blocks.front().velocity->num_params());
  // Rows per solve under run.memory_budget (training's taped solves, and pushes).
  out.scalars["micro_batch_train"] =
      double(cnf::loss_rows(st.model.blocks.front(), cfg.train.objective(block_energy(target, K), 0.0), cfg.train.budget));
  out.scalars["micro_batch_push"] = double(cnf::push_rows(st.model.blocks.front(), cfg.train.budget));
  long nfe = 0;
  for (const auto& lg : st.logs) nfe += lg.nfe;
  out.scalars["train_nfe_rank0"] = double(nfe);
  out.scalars["sample_nfe_per_sample"] = double(K) * cfg.flow.steps * ode::tableau(cfg.flow.scheme).stages;
  if (target.num_modes() > 0 && target.mode_weights().size() == std::size_t(target.num_modes())) {
    const auto w = weighted_mode_weights(comm, target, out.x, log_w);
    const auto exact = target.mode_weights();
    double mse = 0;
    for (std::size_t k = 0; k < w.size(); ++k) mse += (w[k] - exact[k]) * (w[k] - exact[k]);
    out.scalars["is_mode_mse_sum"] = mse;
    out.scalars["is_mode_mse_mean"] = mse / double(w.size());
  }

  Resampled resampled;
  if (cfg.resample) resampled = systematic_resample(comm, out.x, log_w, out.dec.offset, ctx.seed);

  // Method-specific datasets (called collectively by the driver).
  auto blocks = st.model.blocks;
  auto logs = st.logs;
  const std::string traj_file = out.trajectory_file ? out.trajectory_file->file_name() : "";
  const bool resample = cfg.resample;
  const AfConfig c = cfg;
  out.write_extra = [blocks, logs, betas, gammas, deltas, cs, ps, traj_file, d, resample, resampled, c](io::H5Writer& f) {
    const int K = static_cast<int>(blocks.size());
    for (int k = 0; k < K; ++k) {
      const std::string g = "/networks/block_" + std::to_string(k + 1);
      const auto p = cnf::params_of(blocks[k]);
      f.write_array(g + "/params", p, {p.size()});
      if (const auto* mlp = dynamic_cast<const nn::VelocityMlp<Real>*>(blocks[k].velocity.get())) {
        std::string table;
        for (const auto& e : mlp->layout().table())
          table += e.name + " " + std::to_string(e.offset) + " " + std::to_string(e.rows) + " " + std::to_string(e.cols) + "\n";
        f.write_string(g + "/layout", table);
      }
    }
    f.attribute("/networks", "width", std::int64_t(c.network.shape.width));
    f.attribute("/networks", "depth", std::int64_t(c.network.shape.depth));
    f.attribute("/networks", "activation", nn::to_string(c.network.shape.activation));
    f.attribute("/networks", "softplus_beta", c.network.shape.softplus_beta);
    f.attribute("/networks", "time", nn::to_string(c.network.shape.time));
    f.attribute("/networks", "dim", std::int64_t(d));
    const std::string a = "/annealing_flow";
    f.write_array(a + "/beta", betas, {betas.size()});
    f.write_array(a + "/gamma", gammas, {gammas.size()});
    f.write_array(a + "/delta", deltas, {deltas.size()});
    if (!cs.empty()) {
      f.write_array(a + "/truncation_c", cs, {cs.size()});
      f.write_array(a + "/truncation_p", ps, {ps.size()});
    }
    // Per-block training curves (K × iterations).
    const std::size_t iters = logs.empty() ? 0 : logs.front().loss.size();
    auto table = [&](const std::string& name, auto member) {
      std::vector<double> v;
      for (const auto& lg : logs) v.insert(v.end(), (lg.*member).begin(), (lg.*member).end());
      f.write_array(a + "/" + name, v, {std::size_t(K), iters});
    };
    table("loss", &cnf::TrainLog::loss);
    table("energy", &cnf::TrainLog::energy);
    table("divergence", &cnf::TrainLog::divergence);
    table("kinetic", &cnf::TrainLog::kinetic);
    table("grad_norm", &cnf::TrainLog::grad_norm);
    f.attribute(a, "objective", "clean: E_k(x(1)) - int div v dt + gamma_k int |v|^2 dt (continuous kinetic term)");
    f.attribute(a, "training_divergence", c.train.divergence == nn::DivMode::exact ? "exact" : "hutchinson");
    f.attribute(a, "sampling_divergence", "exact");
    f.attribute(a, "schedule", c.truncation ? "truncated_normal" : "geometric");
    f.attribute(a, "steps_per_block", std::int64_t(c.flow.steps));
    f.attribute(a, "scheme", ode::to_string(c.flow.scheme));
    f.attribute(a, "iterations", std::int64_t(c.train.iterations));
    f.attribute(a, "batch", std::int64_t(c.train.batch));
    f.attribute(a, "particles", std::int64_t(c.particles));
    f.attribute(a, "lr", c.train.adam.lr);
    f.attribute(a, "clip_norm", c.train.adam.clip_norm);
    f.attribute(a, "warm_start", std::int64_t(c.warm_start));
    f.attribute(a, "langevin_steps", std::int64_t(c.langevin_steps));
    f.attribute(a, "memory_budget_mib", double(c.train.budget.bytes) / double(1 << 20));
    // The paths live in the trajectory file (next to this one); linked here under their old names.
    if (!traj_file.empty()) {
      f.external_link(io::TrajectoryWriter::dataset, traj_file, io::TrajectoryWriter::dataset);
      f.external_link(io::TrajectoryWriter::times_dataset, traj_file, io::TrajectoryWriter::times_dataset);
      f.attribute("/trajectories", "file", traj_file);
      f.attribute("/trajectories", "steps_per_block", std::int64_t(c.flow.steps));
    }
    if (resample) {
      f.write_rows("/annealing_flow/resampled_x", resampled.x);
      f.write_rows("/annealing_flow/resampled_source", resampled.source);
    }
  };
  return out;
}

}  // namespace boltzflow::annealing_flow
