#include "boltzflow/samplers/neural_jko/NeuralJko.hpp"

#include <Kokkos_Timer.hpp>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Signals.hpp"
#include "boltzflow/metrics/Weights.hpp"
#include "boltzflow/nn/VelocityMlp.hpp"
#include "boltzflow/samplers/cnf/BlockCheckpoint.hpp"
#include "boltzflow/samplers/cnf/BlockTrainer.hpp"
#include "boltzflow/samplers/cnf/Push.hpp"
#include "boltzflow/samplers/cnf/MicroBatch.hpp"
#include "boltzflow/samplers/neural_jko/CnfTransport.hpp"
#include "boltzflow/samplers/neural_jko/RejectionConstant.hpp"
#include "boltzflow/samplers/neural_jko/RunState.hpp"

namespace boltzflow::neural_jko {

namespace {

// NumericalError naming `where` if a sample has a non-finite coordinate or energy (on any rank).
void require_finite(const Comm& comm, const Batch& b, const std::string& where) {
  const std::int64_t bad = comm.sum(count_nonfinite(b));
  if (bad > 0)
    throw NumericalError(where + ": " + std::to_string(bad) + " samples with a non-finite coordinate or energy");
}

// Global ELBO mean λ and IS log-mean-exp of the batch's log-weights λ = e − U.
metrics::WeightSummary batch_weights(const Comm& comm, const Target& target, const Batch& b) {
  Scalars U("boltzflow::neural_jko::U", b.size()), lambda("boltzflow::neural_jko::lambda", b.size());
  log_ratio(target, b, U, lambda);
  return metrics::weight_summary(comm, lambda);
}

// b = −a (log q from the energy e = −log p).
void negate_into(const Scalars& a, const Scalars& b) {
  Kokkos::parallel_for(
      "boltzflow::neural_jko::log_q", Kokkos::RangePolicy<ExecSpace>(0, a.extent(0)), KOKKOS_LAMBDA(const int i) { b(i) = -a(i); });
}

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

}  // namespace

NeuralJko::NeuralJko(const config::Options& opts) : cfg_(neural_jko_config(opts)) {}

SampleSet NeuralJko::run(RunContext& ctx) {
  const auto& comm = ctx.comm;
  const auto& target = ctx.target;
  const int d = target.dim();
  auto& progress = ctx.progress;
  Kokkos::Timer timer;
  const std::clock_t cpu0 = std::clock();  // CPU time: robust on a shared machine, unlike wall time

  ModelConfig mc;
  mc.latent_scale = cfg_.latent_scale;
  mc.stack_size = cfg_.stack_size;
  // Model::energy holds per row y, one ℓ per step, one point per rejection group and 3 scalars;
  // the CNF solves inside are split again by the budget.
  const std::size_t steps = cfg_.plan().size();
  mc.eval_batch = cfg_.eval_batch > 0 ? cfg_.eval_batch
                                      : cnf::micro_batch_rows(((steps + 1) * d + steps + 3) * sizeof(Real), cfg_.train.budget);
  // Shared: the output's log_density evaluates it after run() returns.
  const auto model_ptr = std::make_shared<Model>(comm, target, ctx.seed, mc);
  Model& model = *model_ptr;

  nn::NetworkConfig net = cfg_.network;
  net.shape.width = cfg_.hidden_width(d);
  const auto new_block = [&](int k) {  // CNF step k: a fresh network, its own initialisation
    nn::NetworkConfig nk = net;
    nk.init_seed = net.init_seed + std::uint64_t(k);
    return cnf::make_mlp_block(nk, d, cfg_.flow);
  };

  const StateShape shape{cfg_.dataset, d, cfg_.plan()};
  const int S = static_cast<int>(shape.plan.size());
  const auto dec = Decomposition::even(comm, cfg_.dataset);
  const std::string method = "neural_jko";
  RunState st;
  int saved = -1;  // completed steps in the newest checkpoint
  const auto cpu_now = [&] { return st.cpu_seconds + double(std::clock() - cpu0) / CLOCKS_PER_SEC; };
  const auto save = [&] {
    write_state(*ctx.checkpoints, method, st, shape, st.wall_seconds + timer.seconds(), comm.max(cpu_now()));
    saved = st.completed;
  };
  if (auto r = ctx.checkpoints ? ctx.checkpoints->restart(method) : nullptr) {
    st = read_state(*r, shape, dec, new_block);
    std::size_t cnf = 0, rej = 0;
    for (const auto kind : st.kinds) {
      if (kind == 0)
        model.add_transport(std::make_shared<CnfTransport>(st.blocks[cnf++], cfg_.train.budget));
      else
        model.add_rejection(st.rejections[rej++]);
    }
    saved = st.completed;
    progress.message("neural_jko: resumed after step " + std::to_string(st.completed) + " of " + std::to_string(S) +
                     " from " + ctx.checkpoints->path());
  } else {
    model.restart_streams(0);
    st.data = model.sample(dec.local);
    require_finite(comm, st.data, "neural_jko latent dataset");
    progress.message("[neural_jko] latent dataset: ELBO " + fmt("%.5g", batch_weights(comm, target, st.data).elbo));
  }
  auto& s_loss = st.series["loss"];               // final training loss per CNF step (KL − log Z + kinetic/τ)
  auto& s_kin = st.series["kinetic"];             // mean ω(1) at the end of each CNF step's training
  auto& s_tau = st.series["tau"];
  auto& s_elbo_cnf = st.series["elbo_after_cnf"];  // dataset ELBO after each CNF step
  auto& s_logc = st.series["rejection_log_c"];
  auto& s_rhat = st.series["rejection_r_hat"];
  auto& s_elbo_rej = st.series["elbo_after_rejection"];

  // One step of the plan per pass; the state after it is complete (RunState), so a checkpoint
  // may follow. run.checkpoint_every counts these steps (CNF and rejection steps alike).
  for (int s = st.completed; s < S; ++s) {
    model.restart_streams(static_cast<std::uint32_t>(s + 1));
    const std::string where = "neural_jko step " + std::to_string(s + 1) + "/" + std::to_string(S);
    if (shape.plan[s] == 0) {
      const int k = static_cast<int>(st.blocks.size());
      const double tau = cfg_.tau(k);
      cnf::CnfBlock block = new_block(k);
      const auto obj = cfg_.train.objective(
          [&target](const Particles& x, const Scalars& E, const Particles& g) { target.gradient(x, E, g); }, 1.0 / tau);
      auto tc = cfg_.train.train_config(where + ": cnf " + std::to_string(k + 1) + "/" + std::to_string(cfg_.num_cnf()));
      // A stop signal mid-training abandons the step: the checkpoint holds steps 1..s.
      if (ctx.checkpoints)
        tc.poll = [&](long it) {
          if (!stop_requested(comm)) return;
          if (saved != st.completed) save();
          throw StopRequested("neural_jko: stopped by signal in step " + std::to_string(s + 1) + " of " +
                              std::to_string(S) + " (CNF training, iteration " + std::to_string(it) +
                              "); checkpoint after step " + std::to_string(st.completed) + ": " + ctx.checkpoints->path());
        };
      Kokkos::Timer t_train;
      auto log = cnf::train_block(comm, block, dec, st.data.x, st.data.e, obj, tc, ctx.seed, k, progress);
      st.train_seconds += t_train.seconds();
      st.train_cpu_seconds += log.cpu_seconds;
      s_loss.push_back(log.loss.empty() ? NAN : log.loss.back());
      s_kin.push_back(log.kinetic.empty() ? NAN : log.kinetic.back());
      s_tau.push_back(tau);
      st.blocks.push_back(block);
      st.logs.push_back(std::move(log));
      model.add_transport(std::make_shared<CnfTransport>(block, cfg_.train.budget));

      Kokkos::Timer t_data;
      st.data = model.sample(dec.local);
      require_finite(comm, st.data, where + " (cnf " + std::to_string(k + 1) + "): the regenerated dataset");
      const auto w = batch_weights(comm, target, st.data);
      st.dataset_seconds += t_data.seconds();
      s_elbo_cnf.push_back(w.elbo);
      progress.message("[neural_jko] cnf " + std::to_string(k + 1) + " (tau " + fmt("%.3g", tau) + "): loss " +
                       fmt("%.5g", s_loss.back()) + ", dataset ELBO " + fmt("%.5g", w.elbo) + ", IS log Z " +
                       fmt("%.5g", w.log_z) + ", ESS " + fmt("%.3f", w.ess_fraction));
    } else {
      Kokkos::Timer t_rej;
      Scalars U("boltzflow::neural_jko::U", st.data.size()), lambda("boltzflow::neural_jko::lambda", st.data.size());
      log_ratio(target, st.data, U, lambda);
      RejectionFit fit;
      try {
        fit = fit_log_c(comm, lambda, cfg_.rejection_rate);
      } catch (const NumericalError& e) {
        throw NumericalError(where + " (rejection): " + e.what());
      }
      const RejectionParams p{fit.log_c, fit.rate};
      model.reject(st.data, U, lambda, p);
      model.add_rejection(p);
      st.rejections.push_back(p);
      require_finite(comm, st.data, where + " (rejection): the resampled dataset");
      const auto w = batch_weights(comm, target, st.data);
      st.dataset_seconds += t_rej.seconds();
      s_logc.push_back(p.log_c);
      s_rhat.push_back(p.r_hat);
      s_elbo_rej.push_back(w.elbo);
      if (s + 1 == S || shape.plan[s + 1] == 0)
        progress.message("[neural_jko] after " + std::to_string(cfg_.rejections_per_block) + " rejection steps: ELBO " +
                         fmt("%.5g", w.elbo) + ", IS log Z " + fmt("%.5g", w.log_z) + ", ESS " + fmt("%.3f", w.ess_fraction) +
                         ", log c " + fmt("%.4g", p.log_c));
    }
    st.kinds.push_back(shape.plan[s]);
    st.completed = s + 1;
    if (ctx.checkpoints) {
      const bool stop = stop_requested(comm);
      if (stop || ctx.checkpoints->due(st.completed)) save();
      if (stop)
        throw StopRequested("neural_jko: stopped by signal after step " + std::to_string(st.completed) + " of " +
                            std::to_string(S) + ", checkpoint " + ctx.checkpoints->path());
    }
  }

  // Output: i.i.d. samples of the full model with exact energies.
  model.restart_streams(static_cast<std::uint32_t>(S + 1));
  Kokkos::Timer t_sample;
  SampleSet out;
  out.series = st.series;
  out.dec = Decomposition::even(comm, cfg_.samples);
  const std::int64_t draws0 = model.latent_draws();
  Batch b = model.sample(out.dec.local);
  const std::int64_t draws = model.latent_draws() - draws0;
  require_finite(comm, b, "neural_jko output sampling");
  const double sample_seconds = t_sample.seconds();
  out.x = b.x;
  out.U = Scalars("U", b.size());
  target.energy(out.x, out.U);
  out.log_q = Scalars("log_q", b.size());
  const auto e = b.e;
  negate_into(e, out.log_q);
  out.has_log_q = true;
  out.log_density = [model_ptr](const Particles& x, const Scalars& lq) {
    Scalars e("boltzflow::neural_jko::energy_at", x.extent(0));
    model_ptr->energy(x, e);
    negate_into(e, lq);
  };

  // log Z estimates of the reference protocol: ELBO-type mean λ and the IS log-mean-exp.
  Scalars lw("log_w", b.size());
  const auto U = out.U;
  Kokkos::parallel_for(
      "boltzflow::neural_jko::log_w", Kokkos::RangePolicy<ExecSpace>(0, b.size()), KOKKOS_LAMBDA(const int i) { lw(i) = e(i) - U(i); });
  const auto ws = metrics::weight_summary(comm, lw);
  out.scalars["log_z_elbo"] = ws.elbo;
  out.scalars["log_z_is"] = ws.log_z;
  out.scalars["cnf_steps"] = model.num_transport_steps();
  out.scalars["micro_batch_model"] = double(mc.eval_batch);  // rows per model chunk (run.memory_budget)
  if (!st.blocks.empty()) out.scalars["micro_batch_push"] = double(cnf::push_rows(st.blocks.front(), cfg_.train.budget));
  out.scalars["rejection_steps"] = model.num_rejection_steps();
  out.scalars["expected_cost_per_sample"] = model.expected_cost();  // Π(1 + r̂) ≈ (1 + r)^R
  out.scalars["latent_draws_per_sample"] = double(comm.sum(draws)) / double(cfg_.samples);
  out.scalars["latent_draws_rank_max"] = comm.max(double(draws));
  out.scalars["latent_draws_rank_min"] = comm.min(double(draws));
  // Times include the part of the run before a restart (from the checkpoint).
  out.scalars["train_seconds"] = st.train_seconds;
  out.scalars["dataset_seconds"] = st.dataset_seconds;
  out.scalars["sample_seconds"] = sample_seconds;
  out.scalars["model_seconds"] = st.wall_seconds + timer.seconds();
  out.scalars["train_cpu_seconds_rank_max"] = comm.max(st.train_cpu_seconds);
  out.scalars["cpu_seconds_rank_max"] = comm.max(cpu_now());
  progress.message("[neural_jko] sampled " + std::to_string(cfg_.samples) + " in " + fmt("%.2f", sample_seconds) +
                   " s: " + fmt("%.2f", out.scalars["latent_draws_per_sample"]) + " latent draws per sample (expected " +
                   fmt("%.2f", model.expected_cost()) + "), per-rank draws " + fmt("%.0f", out.scalars["latent_draws_rank_min"]) +
                   ".." + fmt("%.0f", out.scalars["latent_draws_rank_max"]));

  std::vector<double> rej_table;  // rows (model step, log c, r̂)
  for (std::size_t i = 0, j = 0; i < st.kinds.size(); ++i)
    if (st.kinds[i] != 0) {
      rej_table.insert(rej_table.end(), {double(i), st.rejections[j].log_c, st.rejections[j].r_hat});
      ++j;
    }
  const auto cfg = cfg_;
  const int width = net.shape.width;
  out.write_extra = [blocks = st.blocks, logs = st.logs, kinds = st.kinds, rej_table, cfg, width, d](io::H5Writer& f) {
    for (std::size_t k = 0; k < blocks.size(); ++k) {
      const std::string g = "/networks/cnf_" + std::to_string(k + 1);
      const auto p = cnf::params_of(blocks[k]);
      f.write_array(g + "/params", p, {p.size()});
      if (const auto* mlp = dynamic_cast<const nn::VelocityMlp<Real>*>(blocks[k].velocity.get())) {
        std::string table;
        for (const auto& en : mlp->layout().table())
          table += en.name + " " + std::to_string(en.offset) + " " + std::to_string(en.rows) + " " + std::to_string(en.cols) + "\n";
        f.write_string(g + "/layout", table);
      }
      f.attribute(g, "tau", cfg.tau(int(k)));
      f.attribute(g, "ode_steps", std::int64_t(cfg.flow.steps));
    }
    f.attribute("/networks", "width", std::int64_t(width));
    f.attribute("/networks", "depth", std::int64_t(cfg.network.shape.depth));
    f.attribute("/networks", "activation", nn::to_string(cfg.network.shape.activation));
    f.attribute("/networks", "time", nn::to_string(cfg.network.shape.time));
    f.attribute("/networks", "dim", std::int64_t(d));
    f.attribute("/networks", "scheme", ode::to_string(cfg.flow.scheme));
    const std::string a = "/neural_jko";
    f.write_array(a + "/step_kind", kinds, {kinds.size()});
    f.write_array(a + "/rejection", rej_table, {rej_table.size() / 3, 3});
    f.attribute(a + "/rejection", "columns", std::string("model_step log_c r_hat"));
    f.attribute(a, "latent_scale", cfg.latent_scale);
    f.attribute(a, "kinetic", std::string("integrated |v|^2 (omega), loss = E[U(x1)] - E[l + e] + E[omega]/tau"));
    const std::size_t iters = logs.empty() ? 0 : logs.front().loss.size();
    std::vector<double> hist;
    for (const auto& l : logs)
      for (std::size_t i = 0; i < iters; ++i) hist.push_back(i < l.loss.size() ? l.loss[i] : NAN);
    f.write_array(a + "/loss_history", hist, {logs.size(), iters});
  };
  return out;
}

}  // namespace boltzflow::neural_jko
