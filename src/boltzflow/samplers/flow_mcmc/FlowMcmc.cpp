#include "boltzflow/samplers/flow_mcmc/FlowMcmc.hpp"

#include <cmath>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/metrics/Autocorrelation.hpp"
#include "boltzflow/metrics/Modes.hpp"
#include "boltzflow/metrics/Weights.hpp"
#include "boltzflow/samplers/flow_mcmc/ChainBuffer.hpp"
#include "boltzflow/samplers/flow_mcmc/CnfProposal.hpp"
#include "boltzflow/samplers/flow_mcmc/IndependenceMh.hpp"
#include "boltzflow/samplers/interpolant/FlowOptions.hpp"
#include "boltzflow/samplers/interpolant/InterpolantTrainer.hpp"
#include "boltzflow/samplers/mcmc/LocalKernels.hpp"

namespace boltzflow::flow_mcmc {

namespace {
const std::string S = "flow_mcmc";

// Per-walker mode labels (host) of the current states, or empty when the target has no modes.
Vector<int, HostSpace> labels_of(const Target& t, const Particles& x, Vector<int>& work) {
  if (t.num_modes() <= 0) return {};
  if (work.extent(0) != x.extent(0)) work = Vector<int>("flow_mcmc_mode", x.extent(0));
  t.assign_modes(x, work);
  Vector<int, HostSpace> h("flow_mcmc_mode_host", x.extent(0));  // a fresh copy: never aliases `work`
  Kokkos::deep_copy(h, work);
  return h;
}

// Walkers that accepted a move in `accepted` get jumped(i) = 1.
void mark(const Vector<int>& accepted, Vector<int, HostSpace>& jumped) {
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), accepted);
  for (std::size_t i = 0; i < h.extent(0); ++i) jumped(i) |= h(i);
}
}  // namespace

void add_flow_mcmc_options(config::po::options_description& d) {
  using namespace config;
  const auto k = [](const char* key) { return S + "." + key; };
  const long big = 1L << 31;
  add<std::int64_t>(d, k("walkers"), 100, "number of walkers (chains), all ranks together", 1, std::int64_t(1) << 40);
  add_walker_start_options(d, S);
  add<long>(d, k("burnin"), 200, "MALA-only moves before the training phase (step size adapted)", 0, big);
  add<double>(d, k("step_size"), 1e-3, "initial MALA step h (x - h grad U + sqrt(2h) xi)", 1e-300, 1e300);
  add<double>(d, k("target_accept"), 0.574, "MALA acceptance targeted by the step-size adaptation", 0.01, 0.99);
  add<double>(d, k("adapt_rate"), 0.05, "Robbins-Monro rate of the log step-size adaptation (0 = fixed h)", 0.0, 10.0);
  add_bool(d, k("adapt_in_training"), true, "keep adapting h during the training phase (frozen in production)");
  add<long>(d, k("local_steps"), 10, "MALA moves per iteration and walker", 0, big);
  add<long>(d, k("global_steps"), 5, "flow independence-MH moves per iteration and walker (0 = MALA alone)", 0, big);
  add<long>(d, k("training_iterations"), 50, "iterations of the training phase (adaptive: flow retrained each)", 0, big);
  add<long>(d, k("production_iterations"), 100, "iterations of the production phase (flow frozen)", 0, big);
  add<long>(d, k("train_steps"), 50, "Adam steps on the window per training iteration", 0, big);
  add<long>(d, k("window"), 100, "snapshots of all walkers kept for training (2 per iteration)", 1, big);
  add<long>(d, k("record_every"), 1, "production iterations between recorded samples", 1, big);
  add<std::int64_t>(d, k("is_samples"), 0,
                    "fresh draws of the final flow for its importance-sampling evidence estimate (0 = none)", 0,
                    std::int64_t(1) << 40);
  add<long>(d, k("print_every"), 10, "progress line every k iterations", 1, big);
  interpolant::add_flow_options(d, S);
}

FlowMcmc::FlowMcmc(const config::Options& o)
    : walkers_(o.get<std::int64_t>(S + ".walkers")),
      burnin_(o.get<long>(S + ".burnin")),
      local_steps_(o.get<long>(S + ".local_steps")),
      global_steps_(o.get<long>(S + ".global_steps")),
      training_its_(o.get<long>(S + ".training_iterations")),
      production_its_(o.get<long>(S + ".production_iterations")),
      train_steps_(o.get<long>(S + ".train_steps")),
      window_(o.get<long>(S + ".window")),
      record_every_(o.get<long>(S + ".record_every")),
      print_every_(o.get<long>(S + ".print_every")),
      step_size0_(o.get<double>(S + ".step_size")),
      target_accept_(o.get<double>(S + ".target_accept")),
      adapt_rate_(o.get<double>(S + ".adapt_rate")),
      adapt_in_training_(o.get<bool>(S + ".adapt_in_training")),
      is_samples_(o.get<std::int64_t>(S + ".is_samples")),
      start_(walker_start(o, S)) {
  if (global_steps_ > 0 && training_its_ > 0 && train_steps_ == 0)
    throw InputError(S + ".train_steps = 0: the flow would never be trained (set global_steps = 0 for MALA alone)");
  if (local_steps_ == 0 && global_steps_ == 0) throw InputError(S + ".local_steps and global_steps are both 0");
}

SampleSet FlowMcmc::run(RunContext& ctx) {
  const auto& opts = ctx.opts;
  const auto& comm = ctx.comm;
  const auto& target = ctx.target;
  const auto seed = ctx.seed;
  const int d = target.dim();
  const auto wdec = Decomposition::even(comm, walkers_);
  const auto n = static_cast<std::size_t>(wdec.local);
  const auto first = static_cast<std::uint64_t>(wdec.offset);
  const bool use_flow = global_steps_ > 0;
  const int K = target.num_modes();

  mcmc::ChainState s("walkers", n, d);
  place_walkers(comm, start_, d, walkers_, first, seed, s.x, S);
  target.gradient(s.x, s.U, s.grad);
  Scalars log_q("walkers_log_q", n);
  Kokkos::deep_copy(log_q, std::nan(""));
  mcmc::Workspace mw(n, d);
  IndependenceWorkspace iw(n, d);

  std::unique_ptr<interpolant::WhitenedCnf> cnf;
  std::unique_ptr<interpolant::InterpolantTrainer> trainer;
  std::unique_ptr<CnfProposal> proposal;
  if (use_flow) {
    cnf = interpolant::make_flow(opts, S, d);
    trainer = std::make_unique<interpolant::InterpolantTrainer>(
        comm, cnf->field(), nn::adam_config(opts, S, std::max(1L, training_its_ * train_steps_)),
        interpolant::flow_path(opts, S), interpolant::flow_minibatch(opts, S), seed);
    proposal = std::make_unique<CnfProposal>(*cnf);
  }
  ChainBuffer buffer(window_, walkers_, wdec.offset, wdec.local, d);
  const double min_std = opts.get<double>(S + ".min_std");

  double h = step_size0_;
  std::uint32_t move = 0;  // one counter keys every random draw (local and global moves)
  const auto adapt = [&](std::int64_t acc, long moves) {
    if (adapt_rate_ > 0 && moves > 0) h *= std::exp(adapt_rate_ * (double(acc) / double(walkers_ * moves) - target_accept_));
  };

  // Burn-in: MALA only, step size adapted after every move.
  ctx.progress.start("flow_mcmc burn-in", burnin_, std::max(1L, burnin_ / 5));
  for (long k = 0; k < burnin_; ++k) {
    const auto acc = comm.sum(mcmc::mala_step(target, s, mw, h, seed, first, ++move));
    adapt(acc, 1);
    ctx.progress.update(k + 1, {{"acc", double(acc) / double(walkers_)}, {"h", h}});
  }

  SampleSet out;
  auto& ser = out.series;
  std::vector<double> train_losses;
  Vector<int> mode_work;
  auto prev = labels_of(target, s.x, mode_work);
  const long n_rec = production_its_ / record_every_;
  const long n_out = n_rec > 0 ? n_rec : 1;  // no production: the final states are the output
  Matrix<Real, HostSpace> rec_x("rec_x", n * n_out, d), trace_U("trace_U", n_rec, n), trace_mode("trace_mode", n_rec, n);
  Vector<Real, HostSpace> rec_U("rec_U", n * n_out), rec_lq("rec_lq", n * n_out);
  Vector<int, HostSpace> jumped("jumped", n);
  double sum_local[2] = {0, 0}, sum_global[2] = {0, 0};
  std::int64_t switches[2] = {0, 0};
  double phase_wall[2] = {0, 0};

  const long total = training_its_ + production_its_;
  for (long it = 0; it < total; ++it) {
    const int phase = it < training_its_ ? 0 : 1;  // 0 training, 1 production
    const double t_start = ctx.progress.elapsed();
    if (it == 0 && training_its_ > 0) ctx.progress.start("flow_mcmc training", training_its_, print_every_);
    if (it == training_its_) {
      ctx.progress.start("flow_mcmc production", production_its_, print_every_);
      Kokkos::deep_copy(jumped, 0);  // jump fraction counted per phase
    }
    // Local moves.
    std::int64_t acc_l = 0;
    for (long l = 0; l < local_steps_; ++l) acc_l += comm.sum(mcmc::mala_step(target, s, mw, h, seed, first, ++move));
    if (phase == 0 && adapt_in_training_) adapt(acc_l, local_steps_);
    double loss = std::nan("");
    std::int64_t acc_g = 0;
    if (use_flow) {
      if (phase == 0) {
        buffer.push(s.x);
        // Refit the whitening on the window, train in whitened coordinates.
        cnf->fit_whitening(comm, buffer.rows(), min_std);
        Particles white("white", buffer.rows().extent(0), d);
        cnf->whiten(buffer.rows(), white);
        double lsum = 0;
        for (long k = 0; k < train_steps_; ++k) {
          const auto step = static_cast<std::uint32_t>(trainer->optimizer_steps() + 1);
          const double l = trainer->step(white, buffer.global_rows(), buffer.owner(), step,
                                         S + " training iteration " + std::to_string(it));
          train_losses.push_back(l);
          lsum += l;
        }
        loss = train_steps_ > 0 ? lsum / double(train_steps_) : std::nan("");
      }
      // Local moves (and retraining) invalidate the carried log q.
      cnf->log_density(s.x, log_q);
      for (long g = 0; g < global_steps_; ++g) {
        acc_g += comm.sum(independence_mh_step(target, *proposal, s, log_q, iw, seed, first, ++move));
        mark(iw.accepted, jumped);
      }
      if (phase == 0) buffer.push(s.x);
    }
    // Diagnostics (MPI-global).
    const double rate_l = local_steps_ > 0 ? double(acc_l) / double(walkers_ * local_steps_) : std::nan("");
    const double rate_g = use_flow ? double(acc_g) / double(walkers_ * global_steps_) : std::nan("");
    sum_local[phase] += rate_l;
    sum_global[phase] += rate_g;
    std::int64_t jumped_local = 0;
    for (std::size_t i = 0; i < n; ++i) jumped_local += jumped(i);
    const double jump_frac = double(comm.sum(jumped_local)) / double(walkers_);
    ser["phase"].push_back(phase);
    ser["local_acceptance"].push_back(rate_l);
    ser["global_acceptance"].push_back(rate_g);
    ser["loss"].push_back(loss);
    ser["step_size"].push_back(h);
    ser["flow_jump_fraction"].push_back(jump_frac);
    std::vector<std::pair<std::string, double>> line = {{"acc_l", rate_l}, {"acc_g", rate_g}, {"loss", loss}};
    auto labels = labels_of(target, s.x, mode_work);
    if (K > 0) {
      std::vector<std::int64_t> count(K + 1, 0);
      std::int64_t sw = 0;
      for (std::size_t i = 0; i < n; ++i) {
        count[labels(i) >= 0 ? labels(i) : K] += 1;
        sw += labels(i) != prev(i);
      }
      sw = comm.sum(sw);
      switches[phase] += sw;
      ser["mode_switches"].push_back(double(sw));
      for (int m = 0; m < K && K <= 16; ++m) {
        const double f = double(comm.sum(count[m])) / double(walkers_);
        ser["mode_fraction_" + std::to_string(m)].push_back(f);
        if (m < 4) line.push_back({"w" + std::to_string(m), f});
      }
      line.push_back({"switches", double(switches[0] + switches[1])});
      prev = labels;
    }
    // Record the production samples: x, U and the frozen flow's log q.
    if (phase == 1 && (it - training_its_ + 1) % record_every_ == 0 && (it - training_its_ + 1) / record_every_ <= n_rec) {
      const long r = (it - training_its_ + 1) / record_every_ - 1;
      auto hx = Kokkos::create_mirror_view_and_copy(HostSpace(), s.x);
      auto hU = Kokkos::create_mirror_view_and_copy(HostSpace(), s.U);
      auto hl = Kokkos::create_mirror_view_and_copy(HostSpace(), log_q);
      for (std::size_t i = 0; i < n; ++i) {
        const std::size_t row = i * n_out + r;  // walker-major: the global order is rank-count independent
        for (int j = 0; j < d; ++j) rec_x(row, j) = hx(i, j);
        rec_U(row) = hU(i);
        rec_lq(row) = hl(i);
        trace_U(r, i) = hU(i);
        if (K > 0) trace_mode(r, i) = labels(i);
      }
    }
    phase_wall[phase] += ctx.progress.elapsed() - t_start;
    ctx.progress.update(phase == 0 ? it + 1 : it - training_its_ + 1, line);
  }
  if (n_rec == 0) {  // output = final states
    auto hx = Kokkos::create_mirror_view_and_copy(HostSpace(), s.x);
    auto hU = Kokkos::create_mirror_view_and_copy(HostSpace(), s.U);
    if (use_flow) cnf->log_density(s.x, log_q);
    auto hl = Kokkos::create_mirror_view_and_copy(HostSpace(), log_q);
    for (std::size_t i = 0; i < n; ++i) {
      for (int j = 0; j < d; ++j) rec_x(i, j) = hx(i, j);
      rec_U(i) = hU(i);
      rec_lq(i) = hl(i);
    }
  }

  out.dec.global = walkers_ * n_out;
  out.dec.local = wdec.local * n_out;
  out.dec.offset = wdec.offset * n_out;
  out.x = Kokkos::create_mirror_view_and_copy(MemSpace(), rec_x);
  out.U = Kokkos::create_mirror_view_and_copy(MemSpace(), rec_U);
  out.log_q = Kokkos::create_mirror_view_and_copy(MemSpace(), rec_lq);
  out.has_log_q = false;  // chain states are not draws from q: log q is stored, IS metrics come from fresh draws
  if (n_rec >= 2) {
    out.traces["U"] = trace_U;
    if (K > 0) out.traces["mode"] = trace_mode;
  }
  auto& sc = out.scalars;
  const char* ph[2] = {"training", "production"};
  const long its[2] = {training_its_, production_its_};
  for (int p = 0; p < 2; ++p) {
    if (its[p] == 0) continue;
    const std::string tag = ph[p];
    if (local_steps_ > 0) sc["local_acceptance_" + tag] = sum_local[p] / double(its[p]);
    if (use_flow) sc["global_acceptance_" + tag] = sum_global[p] / double(its[p]);
    if (K > 0) sc["mode_switches_" + tag] = double(switches[p]);
    sc["wall_seconds_" + tag] = phase_wall[p];
  }
  if (production_its_ > 0) sc["flow_jump_fraction_production"] = ser["flow_jump_fraction"].back();
  sc["step_size"] = h;
  sc["moves_per_walker"] = double(move);
  sc["target_gradient_evals_per_walker"] = double(move);  // one per MALA and per flow proposal
  if (!train_losses.empty()) sc["final_loss"] = train_losses.back();

  // IAT/ESS of the production traces over all chains (draws / τ; metrics/Autocorrelation).
  for (const auto& [name, tr] : out.traces) {
    const auto r = metrics::integrated_autocorrelation(comm, tr);
    sc["iat_production_" + name] = r.tau;
    sc["ess_production_" + name] = r.ess;
  }
  // Per-chain integrated autocorrelation time of U in production (each chain on its own).
  std::vector<double> tau_chain(n, std::nan(""));
  if (n_rec >= 2) {
    const Comm self(MPI_COMM_SELF);
    for (std::size_t i = 0; i < n; ++i) {
      Matrix<Real, HostSpace> col("col", n_rec, 1);
      for (long r = 0; r < n_rec; ++r) col(r, 0) = trace_U(r, i);
      tau_chain[i] = metrics::integrated_autocorrelation_time(self, col);
    }
  }

  // Importance sampling with fresh draws of the final flow: log Z estimate and reverse ESS.
  Matrix<Real, HostSpace> is_x;
  Vector<Real, HostSpace> is_U, is_lq;
  Decomposition is_dec;
  if (use_flow && is_samples_ > 0) {
    is_dec = Decomposition::even(comm, is_samples_);
    Particles x("is_x", is_dec.local, d);
    Scalars U("is_U", is_dec.local), lq("is_lq", is_dec.local), lw("is_lw", is_dec.local);
    cnf->sample(seed, Stream::flow_draws, is_dec.offset, 0, x, lq);
    target.energy(x, U);
    Kokkos::parallel_for(
        "boltzflow::flow_mcmc::is_log_w", Kokkos::RangePolicy<ExecSpace>(0, is_dec.local),
        KOKKOS_LAMBDA(const int i) { lw(i) = -U(i) - lq(i); });
    const auto w = metrics::weight_summary(comm, lw);
    sc["flow_is_log_z"] = w.log_z;
    sc["flow_is_elbo"] = w.elbo;
    sc["flow_is_ess_fraction"] = w.ess_fraction;
    sc["flow_is_samples"] = double(w.n);
    is_x = Kokkos::create_mirror_view_and_copy(HostSpace(), x);
    is_U = Kokkos::create_mirror_view_and_copy(HostSpace(), U);
    is_lq = Kokkos::create_mirror_view_and_copy(HostSpace(), lq);
  }
  if (use_flow) sc["flow_nfe"] = double(cnf->nfe());

  // Method-specific datasets.
  std::vector<double> params, mean, stdv;
  std::vector<hsize_t> pdims;
  if (use_flow) {
    auto hp = Kokkos::create_mirror_view_and_copy(HostSpace(), cnf->field().params());
    params.assign(hp.data(), hp.data() + hp.extent(0));
    mean = cnf->mean();
    stdv = cnf->std();
  }
  Vector<Real, HostSpace> tau_view("tau_chain", n);
  for (std::size_t i = 0; i < n; ++i) tau_view(i) = tau_chain[i];
  const auto T = training_its_, P = production_its_;
  out.write_extra = [=](io::H5Writer& f) {
    f.attribute("/flow_mcmc", "training_iterations", std::int64_t(T));
    f.attribute("/flow_mcmc", "production_iterations", std::int64_t(P));
    f.attribute("/flow_mcmc", "samples", std::string("production-phase chain states (flow frozen); "
                                                     "log_q = the frozen flow's density at them"));
    f.write_rows("/flow_mcmc/iat_U_chain", tau_view);
    if (!train_losses.empty()) f.write_array("/flow_mcmc/training/loss", train_losses, {train_losses.size()});
    if (!params.empty()) {
      f.write_array("/flow_mcmc/network/params", params, {params.size()});
      f.write_array("/flow_mcmc/network/whitening_mean", mean, {mean.size()});
      f.write_array("/flow_mcmc/network/whitening_std", stdv, {stdv.size()});
    }
    if (is_dec.global > 0) {  // the same decision on every rank
      f.write_rows("/flow_mcmc/flow_samples/x", is_x);
      f.write_rows("/flow_mcmc/flow_samples/U", is_U);
      f.write_rows("/flow_mcmc/flow_samples/log_q", is_lq);
    }
  };
  return out;
}

}  // namespace boltzflow::flow_mcmc
