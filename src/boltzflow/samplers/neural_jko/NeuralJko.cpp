#include "boltzflow/samplers/neural_jko/NeuralJko.hpp"

#include <Kokkos_Timer.hpp>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <string>

#include "boltzflow/metrics/Weights.hpp"
#include "boltzflow/nn/VelocityMlp.hpp"
#include "boltzflow/samplers/cnf/BlockTrainer.hpp"
#include "boltzflow/samplers/neural_jko/CnfTransport.hpp"
#include "boltzflow/samplers/neural_jko/RejectionConstant.hpp"

namespace boltzflow::neural_jko {

namespace {

std::vector<double> host_vector(const Vector<Real>& v) {
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), v);
  return std::vector<double>(h.data(), h.data() + h.extent(0));
}

// Global ELBO mean λ and IS log-mean-exp of the batch's log-weights λ = e − U.
metrics::WeightSummary batch_weights(const Comm& comm, const Target& target, const Batch& b) {
  Scalars U("boltzflow::neural_jko::U", b.size()), lambda("boltzflow::neural_jko::lambda", b.size());
  log_ratio(target, b, U, lambda);
  return metrics::weight_summary(comm, lambda);
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
  mc.eval_batch = cfg_.eval_batch;
  Model model(comm, target, ctx.seed, mc);

  nn::NetworkConfig net = cfg_.network;
  net.shape.width = cfg_.hidden_width(d);

  SampleSet out;
  auto& s_loss = out.series["loss"];               // final training loss per CNF step (KL − log Z + kinetic/τ)
  auto& s_kin = out.series["kinetic"];             // mean ω(1) at the end of each CNF step's training
  auto& s_tau = out.series["tau"];
  auto& s_elbo_cnf = out.series["elbo_after_cnf"];  // dataset ELBO after each CNF step
  auto& s_logc = out.series["rejection_log_c"];
  auto& s_rhat = out.series["rejection_r_hat"];
  auto& s_elbo_rej = out.series["elbo_after_rejection"];
  std::vector<cnf::TrainLog> logs;
  std::vector<cnf::CnfBlock> blocks;
  std::vector<std::int64_t> kinds;  // per model step: 0 = CNF, 1 = rejection
  std::vector<double> rej_table;    // rows (model step, log c, r̂)

  const auto dec = Decomposition::even(comm, cfg_.dataset);
  Batch data = model.sample(dec.local);
  progress.message("[neural_jko] latent dataset: ELBO " + fmt("%.5g", batch_weights(comm, target, data).elbo));

  double train_seconds = 0, train_cpu_seconds = 0, resample_seconds = 0;
  for (int k = 0; k < cfg_.num_cnf(); ++k) {
    const double tau = cfg_.tau(k);
    nn::NetworkConfig nk = net;
    nk.init_seed = net.init_seed + std::uint64_t(k);
    cnf::CnfBlock block = cnf::make_mlp_block(nk, d, cfg_.flow);

    cnf::BlockObjective obj;
    obj.energy = [&target](const Particles& x, const Scalars& E, const Particles& g) { target.gradient(x, E, g); };
    obj.gamma = 1.0 / tau;
    obj.div = cfg_.train_div;
    obj.probes = cfg_.probes;
    obj.probe_kind = cfg_.probe_kind;
    cnf::BlockTrainConfig tc;
    tc.iterations = cfg_.iterations;
    tc.batch = cfg_.batch;
    tc.adam = cfg_.adam;
    tc.print_every = cfg_.print_every;
    tc.name = "neural_jko cnf " + std::to_string(k + 1) + "/" + std::to_string(cfg_.num_cnf());
    Kokkos::Timer t_train;
    logs.push_back(cnf::train_block(comm, block, dec, data.x, data.e, obj, tc, ctx.seed, k, progress));
    train_seconds += t_train.seconds();
    train_cpu_seconds += logs.back().cpu_seconds;
    const auto& lg = logs.back();
    s_loss.push_back(lg.loss.empty() ? NAN : lg.loss.back());
    s_kin.push_back(lg.kinetic.empty() ? NAN : lg.kinetic.back());
    s_tau.push_back(tau);
    blocks.push_back(block);
    model.add_transport(std::make_shared<CnfTransport>(block, cfg_.eval_batch));
    kinds.push_back(0);

    Kokkos::Timer t_res;
    data = model.sample(dec.local);
    const auto w = batch_weights(comm, target, data);
    s_elbo_cnf.push_back(w.elbo);
    std::string line = "[neural_jko] cnf " + std::to_string(k + 1) + " (tau " + fmt("%.3g", tau) + "): loss " +
                       fmt("%.5g", s_loss.back()) + ", dataset ELBO " + fmt("%.5g", w.elbo) + ", IS log Z " +
                       fmt("%.5g", w.log_z) + ", ESS " + fmt("%.3f", w.ess_fraction);
    if (k >= cfg_.n_flow) {
      for (int r = 0; r < cfg_.rejections_per_block; ++r) {
        Scalars U("boltzflow::neural_jko::U", data.size()), lambda("boltzflow::neural_jko::lambda", data.size());
        log_ratio(target, data, U, lambda);
        const auto fit = fit_log_c(comm, lambda, cfg_.rejection_rate);
        const RejectionParams p{fit.log_c, fit.rate};
        rej_table.insert(rej_table.end(), {double(model.num_steps()), p.log_c, p.r_hat});
        model.reject(data, U, lambda, p);
        model.add_rejection(p);
        kinds.push_back(1);
        s_logc.push_back(p.log_c);
        s_rhat.push_back(p.r_hat);
        s_elbo_rej.push_back(batch_weights(comm, target, data).elbo);
      }
      const auto wr = batch_weights(comm, target, data);
      line += "; after " + std::to_string(cfg_.rejections_per_block) + " rejections: ELBO " + fmt("%.5g", wr.elbo) +
              ", IS log Z " + fmt("%.5g", wr.log_z) + ", ESS " + fmt("%.3f", wr.ess_fraction);
    }
    resample_seconds += t_res.seconds();
    progress.message(line);
  }

  // Output: i.i.d. samples of the full model with exact energies.
  Kokkos::Timer t_sample;
  out.dec = Decomposition::even(comm, cfg_.samples);
  const std::int64_t draws0 = model.latent_draws();
  Batch b = model.sample(out.dec.local);
  const std::int64_t draws = model.latent_draws() - draws0;
  const double sample_seconds = t_sample.seconds();
  out.x = b.x;
  out.U = Scalars("U", b.size());
  target.energy(out.x, out.U);
  out.log_q = Scalars("log_q", b.size());
  const auto e = b.e, lq = out.log_q;
  Kokkos::parallel_for(
      "boltzflow::neural_jko::log_q", Kokkos::RangePolicy<ExecSpace>(0, b.size()), KOKKOS_LAMBDA(const int i) { lq(i) = -e(i); });
  out.has_log_q = true;

  // log Z estimates of the reference protocol: ELBO-type mean λ and the IS log-mean-exp.
  Scalars lw("log_w", b.size());
  const auto U = out.U;
  Kokkos::parallel_for(
      "boltzflow::neural_jko::log_w", Kokkos::RangePolicy<ExecSpace>(0, b.size()), KOKKOS_LAMBDA(const int i) { lw(i) = e(i) - U(i); });
  const auto ws = metrics::weight_summary(comm, lw);
  out.scalars["log_z_elbo"] = ws.elbo;
  out.scalars["log_z_is"] = ws.log_z;
  out.scalars["cnf_steps"] = model.num_transport_steps();
  out.scalars["rejection_steps"] = model.num_rejection_steps();
  out.scalars["expected_cost_per_sample"] = model.expected_cost();  // Π(1 + r̂) ≈ (1 + r)^R
  out.scalars["latent_draws_per_sample"] = double(comm.sum(draws)) / double(cfg_.samples);
  out.scalars["latent_draws_rank_max"] = comm.max(double(draws));
  out.scalars["latent_draws_rank_min"] = comm.min(double(draws));
  out.scalars["train_seconds"] = train_seconds;
  out.scalars["dataset_seconds"] = resample_seconds;
  out.scalars["sample_seconds"] = sample_seconds;
  out.scalars["model_seconds"] = timer.seconds();
  out.scalars["train_cpu_seconds_rank_max"] = comm.max(train_cpu_seconds);
  out.scalars["cpu_seconds_rank_max"] = comm.max(double(std::clock() - cpu0) / CLOCKS_PER_SEC);
  progress.message("[neural_jko] sampled " + std::to_string(cfg_.samples) + " in " + fmt("%.2f", sample_seconds) +
                   " s: " + fmt("%.2f", out.scalars["latent_draws_per_sample"]) + " latent draws per sample (expected " +
                   fmt("%.2f", model.expected_cost()) + "), per-rank draws " + fmt("%.0f", out.scalars["latent_draws_rank_min"]) +
                   ".." + fmt("%.0f", out.scalars["latent_draws_rank_max"]));

  const auto cfg = cfg_;
  const int width = net.shape.width;
  out.write_extra = [blocks, logs, kinds, rej_table, cfg, width, d](io::H5Writer& f) {
    for (std::size_t k = 0; k < blocks.size(); ++k) {
      const std::string g = "/networks/cnf_" + std::to_string(k + 1);
      const auto p = host_vector(blocks[k].params());
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
