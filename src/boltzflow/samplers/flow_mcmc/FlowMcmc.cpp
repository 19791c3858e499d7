#include "boltzflow/samplers/flow_mcmc/FlowMcmc.hpp"

#include <cmath>
#include <optional>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Math.hpp"
#include "boltzflow/core/Signals.hpp"
#include "boltzflow/metrics/Autocorrelation.hpp"
#include "boltzflow/metrics/Modes.hpp"
#include "boltzflow/metrics/Weights.hpp"
#include "boltzflow/samplers/flow_mcmc/ChainBuffer.hpp"
#include "boltzflow/samplers/flow_mcmc/CnfProposal.hpp"
#include "boltzflow/samplers/flow_mcmc/IndependenceMh.hpp"
#include "boltzflow/samplers/flow_mcmc/PhasePlan.hpp"
#include "boltzflow/samplers/flow_mcmc/RunRecord.hpp"
#include "boltzflow/samplers/interpolant/FlowCheckpoint.hpp"
#include "boltzflow/samplers/interpolant/FlowOptions.hpp"
#include "boltzflow/samplers/interpolant/InterpolantTrainer.hpp"
#include "boltzflow/samplers/interpolant/LikelihoodTrainer.hpp"
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

// Walkers whose x, U or grad U is not finite (this rank). MH never accepts such a state, so a
// walker that starts in one would sit there unnoticed.
std::int64_t count_nonfinite(const mcmc::ChainState& s) {
  const auto x = s.x, g = s.grad;
  const auto U = s.U;
  const int d = static_cast<int>(x.extent(1));
  std::int64_t bad = 0;
  Kokkos::parallel_reduce(
      "boltzflow::flow_mcmc::count_nonfinite", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)),
      KOKKOS_LAMBDA(const int i, std::int64_t& c) {
        bool ok = kmath::isfinite(U(i));
        for (int j = 0; j < d; ++j) ok = ok && kmath::isfinite(x(i, j)) && kmath::isfinite(g(i, j));
        c += ok ? 0 : 1;
      },
      bad);
  return bad;
}

// Rows [offset, offset + n) of a checkpoint's (N) dataset into v.
void read_scalars(const io::H5Reader& r, const std::string& name, std::int64_t offset, const Scalars& v) {
  const auto rows = r.read_rows(name, offset, v.extent(0));
  auto h = Kokkos::create_mirror_view(v);
  for (std::size_t i = 0; i < h.extent(0); ++i) h(i) = rows(i, 0);
  Kokkos::deep_copy(v, h);
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
  add_choice(d, k("loss"), "interpolant", {"interpolant", "likelihood"},
             "flow training loss: stochastic interpolant, or maximum likelihood (exact log q by the ODE + adjoint)");
  add<long>(d, k("train_steps"), 50, "Adam steps on the window per training iteration", 0, big);
  add<long>(d, k("window"), 100, "snapshots of all walkers kept for training (2 per iteration)", 1, big);
  add<long>(d, k("record_every"), 1, "production iterations between recorded samples", 1, big);
  add<std::int64_t>(d, k("is_samples"), 0,
                    "fresh draws of the final flow for its importance-sampling evidence estimate (0 = none)", 0,
                    std::int64_t(1) << 40);
  add<long>(d, k("print_every"), 10, "progress line every k iterations", 1, big);
  interpolant::add_flow_options(d, S);
}

FlowMcmc::FlowMcmc(const config::Options& o) : start_(walker_start(o, S)) {
  const auto count = [&](const char* key) { return o.get<long>(S + "." + key); };
  const auto real = [&](const char* key) { return o.get<double>(S + "." + key); };
  walkers_ = o.get<std::int64_t>(S + ".walkers");
  burnin_ = count("burnin");
  training_its_ = count("training_iterations");
  production_its_ = count("production_iterations");
  local_steps_ = count("local_steps");
  global_steps_ = count("global_steps");
  train_steps_ = count("train_steps");
  window_ = count("window");
  record_every_ = count("record_every");
  print_every_ = count("print_every");
  step_size0_ = real("step_size");
  target_accept_ = real("target_accept");
  adapt_rate_ = real("adapt_rate");
  adapt_in_training_ = o.get<bool>(S + ".adapt_in_training");
  is_samples_ = o.get<std::int64_t>(S + ".is_samples");
  likelihood_ = o.str(S + ".loss") == "likelihood";
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
  const PhasePlan plan{burnin_, training_its_, production_its_, record_every_};
  const long total = plan.total();

  mcmc::ChainState s("walkers", n, d);
  Scalars log_q("walkers_log_q", n);
  Kokkos::deep_copy(log_q, std::nan(""));
  mcmc::Workspace mw(n, d);
  IndependenceWorkspace iw(n, d);

  std::unique_ptr<interpolant::WhitenedCnf> cnf;
  std::unique_ptr<interpolant::FlowTrainer> trainer;
  std::unique_ptr<CnfProposal> proposal;
  if (use_flow) {
    cnf = interpolant::make_flow(opts, S, d);
    const auto adam = nn::adam_config(opts, S, std::max(1L, training_its_ * train_steps_));
    if (likelihood_)
      trainer = std::make_unique<interpolant::LikelihoodTrainer>(comm, *cnf, adam, interpolant::flow_minibatch(opts, S),
                                                                 seed);
    else
      trainer = std::make_unique<interpolant::InterpolantTrainer>(comm, cnf->field(), adam,
                                                                  interpolant::flow_path(opts, S),
                                                                  interpolant::flow_minibatch(opts, S), seed);
    proposal = std::make_unique<CnfProposal>(*cnf);
  }
  ChainBuffer buffer(window_, walkers_, wdec.offset, wdec.local, d);
  const double min_std = opts.get<double>(S + ".min_std");
  RunRecord rec(n, d, production_its_ / record_every_, K > 0);
  auto& ser = rec.series;
  const long n_rec = rec.n_rec, n_out = rec.n_out;

  double h = step_size0_;
  std::uint32_t move = 0;  // one counter keys every random draw (local and global moves)
  long done = 0;           // completed rounds (PhasePlan)
  long nfe_before = 0;     // flow ODE evaluations before a restart
  const auto adapt = [&](std::int64_t acc, long moves) {
    if (adapt_rate_ > 0 && moves > 0) h *= std::exp(adapt_rate_ * (double(acc) / double(walkers_ * moves) - target_accept_));
  };

  // Checkpoint = the state after `done` rounds: chains (x, U, grad U), step size, move counter,
  // the record so far, and with a flow the training window, network, whitening and Adam state.
  // log q of the walkers is recomputed before every flow move, the mode labels from x; every
  // draw is keyed by (seed, global id, move or Adam step), so nothing else is needed.
  const auto save = [&]() {
    auto w = ctx.checkpoints->begin(S);
    w->write_rows_from("/state/x", s.x);
    w->write_rows_from("/state/U", s.U);
    w->write_rows_from("/state/grad", s.grad);
    const auto count = [&](const char* name, std::int64_t v) { w->attribute("/state", name, v); };
    count("rounds", done);
    count("move", move);
    count("walkers", walkers_);
    count("dim", d);
    count("flow", use_flow);
    count("likelihood", likelihood_);
    count("nfe", nfe_before + (use_flow ? cnf->nfe() : 0));  // rank 0's
    w->attribute("/state", "step_size", h);
    plan.save(*w, "/state");
    rec.save(*w, "/state/record", plan.records(done));
    if (use_flow) {
      buffer.save(*w, "/state/buffer");
      interpolant::write_flow_state(*w, "/state/flow", *cnf, *trainer);
    }
    ctx.checkpoints->commit(*w);
  };
  if (auto r = ctx.checkpoints ? ctx.checkpoints->restart(S) : nullptr) {
    const auto w_ck = r->attribute_int64("/state", "walkers"), d_ck = r->attribute_int64("/state", "dim");
    if (w_ck != walkers_ || d_ck != d)
      throw InputError("run.restart: the checkpoint has " + std::to_string(w_ck) + " walkers in dimension " +
                       std::to_string(d_ck) + ", the deck flow_mcmc.walkers = " + std::to_string(walkers_) +
                       " in dimension " + std::to_string(d));
    if ((r->attribute_int64("/state", "flow") != 0) != use_flow)
      throw InputError(std::string("run.restart: the checkpoint was written ") + (use_flow ? "without" : "with") +
                       " flow moves, the deck has flow_mcmc.global_steps = " + std::to_string(global_steps_));
    if (use_flow && (r->attribute_int64("/state", "likelihood") != 0) != likelihood_)
      throw InputError(std::string("run.restart: the checkpoint's flow was trained with flow_mcmc.loss = ") +
                       (likelihood_ ? "interpolant" : "likelihood") + ", the deck has " +
                       (likelihood_ ? "likelihood" : "interpolant"));
    done = static_cast<long>(r->attribute_int64("/state", "rounds"));
    PhasePlan::load(*r, "/state").check_continued_by(plan, done);
    Kokkos::deep_copy(s.x, r->read_rows("/state/x", wdec.offset, wdec.local));
    Kokkos::deep_copy(s.grad, r->read_rows("/state/grad", wdec.offset, wdec.local));
    read_scalars(*r, "/state/U", wdec.offset, s.U);
    move = static_cast<std::uint32_t>(r->attribute_int64("/state", "move"));
    h = r->attribute_double("/state", "step_size");
    nfe_before = static_cast<long>(r->attribute_int64("/state", "nfe"));
    rec.load(*r, "/state/record", plan.records(done), wdec.offset);
    if (use_flow) {
      buffer.load(*r, "/state/buffer");
      interpolant::read_flow_state(*r, "/state/flow", *cnf, *trainer);
    }
    ctx.progress.message("flow_mcmc: resumed at step " + std::to_string(done) + " of " + std::to_string(total));
  } else {
    place_walkers(comm, start_, d, walkers_, first, seed, s.x, S);
    target.gradient(s.x, s.U, s.grad);
    const auto bad = comm.sum(count_nonfinite(s));
    if (bad > 0)
      throw NumericalError("flow_mcmc step 0: " + std::to_string(bad) +
                           " walker(s) start where x, U or grad U is not finite (flow_mcmc.start, start_values)");
  }

  // After each round: a checkpoint when due, at the end of a phase, or on a stop signal, which
  // is polled every 16 burn-in moves and after every iteration (a collective, so the same
  // decision on every rank; an iteration holds many reductions already).
  const auto end_round = [&](bool poll, bool phase_end) {
    ++done;
    if (!ctx.checkpoints) return;
    const bool stop = poll && stop_requested(comm);
    if (stop || phase_end || ctx.checkpoints->due(done)) save();
    if (stop)
      throw StopRequested("flow_mcmc: stopped by signal at step " + std::to_string(done) + " of " +
                          std::to_string(total) + ", checkpoint " + ctx.checkpoints->path());
  };

  // Burn-in: MALA only, step size adapted after every move.
  if (done < burnin_) ctx.progress.start("flow_mcmc burn-in", burnin_, std::max(1L, burnin_ / 5));
  for (long k = done; k < burnin_; ++k) {
    const auto acc = comm.sum(mcmc::mala_step(target, s, mw, h, seed, first, ++move));
    adapt(acc, 1);
    ctx.progress.update(k + 1, {{"acc", double(acc) / double(walkers_)}, {"h", h}});
    end_round((k + 1) % 16 == 0, k + 1 == burnin_);
  }

  Vector<int> mode_work;
  auto prev = labels_of(target, s.x, mode_work);
  auto& jumped = rec.jumped;
  const long it0 = done - burnin_, n_its = training_its_ + production_its_;
  for (long it = it0; it < n_its; ++it) {
    const int phase = it < training_its_ ? 0 : 1;  // 0 training, 1 production
    const double t_start = ctx.progress.elapsed();
    if (it == training_its_) Kokkos::deep_copy(jumped, 0);  // jump fraction counted per phase
    if (it == it0 || it == training_its_)
      ctx.progress.start(phase == 0 ? "flow_mcmc training" : "flow_mcmc production",
                         phase == 0 ? training_its_ : production_its_, print_every_);
    // Local moves.
    std::int64_t acc_l = 0;
    for (long l = 0; l < local_steps_; ++l) acc_l += comm.sum(mcmc::mala_step(target, s, mw, h, seed, first, ++move));
    if (phase == 0 && adapt_in_training_) adapt(acc_l, local_steps_);
    double loss = std::nan("");
    std::int64_t acc_g = 0;
    if (use_flow) {
      if (phase == 0) {
        const std::string where = S + " training iteration " + std::to_string(it);
        buffer.push(s.x);
        // Refit the whitening on the window, train in whitened coordinates.
        try {
          cnf->fit_whitening(comm, buffer.rows(), min_std);
        } catch (const NumericalError& e) {
          throw NumericalError(where + ": " + e.what());
        }
        Particles white("white", buffer.rows().extent(0), d);
        cnf->whiten(buffer.rows(), white);
        double lsum = 0;
        for (long k = 0; k < train_steps_; ++k) {
          const auto step = static_cast<std::uint32_t>(trainer->optimizer_steps() + 1);
          const double l = trainer->step(white, buffer.global_rows(), buffer.owner(), step, where);
          rec.train_losses.push_back(l);
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
    auto& tally = rec.phase[phase];
    const double rate_l = local_steps_ > 0 ? double(acc_l) / double(walkers_ * local_steps_) : std::nan("");
    const double rate_g = use_flow ? double(acc_g) / double(walkers_ * global_steps_) : std::nan("");
    tally.local_acceptance += rate_l;
    tally.global_acceptance += rate_g;
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
      tally.switches += sw;
      ser["mode_switches"].push_back(double(sw));
      for (int m = 0; m < K && K <= 16; ++m) {
        const double f = double(comm.sum(count[m])) / double(walkers_);
        ser["mode_fraction_" + std::to_string(m)].push_back(f);
        if (m < 4) line.push_back({"w" + std::to_string(m), f});
      }
      line.push_back({"switches", double(rec.phase[0].switches + rec.phase[1].switches)});
      prev = labels;
    }
    // Record the production samples: x, U and the frozen flow's log q.
    const long j = it - training_its_ + 1;  // production iterations done
    if (phase == 1 && j % record_every_ == 0 && j / record_every_ <= n_rec)
      rec.store(j / record_every_ - 1, s.x, s.U, log_q, labels);
    tally.wall += ctx.progress.elapsed() - t_start;
    ctx.progress.update(phase == 0 ? it + 1 : j, line);
    end_round(true, it + 1 == training_its_ || it + 1 == n_its);
  }
  if (n_rec == 0) {  // output = final states
    if (use_flow) cnf->log_density(s.x, log_q);
    rec.store(0, s.x, s.U, log_q, {});
  }

  SampleSet out;
  out.series = rec.series;
  out.dec.global = walkers_ * n_out;
  out.dec.local = wdec.local * n_out;
  out.dec.offset = wdec.offset * n_out;
  out.x = Kokkos::create_mirror_view_and_copy(MemSpace(), rec.x);
  out.U = Kokkos::create_mirror_view_and_copy(MemSpace(), rec.U);
  out.log_q = Kokkos::create_mirror_view_and_copy(MemSpace(), rec.log_q);
  out.has_log_q = false;  // chain states are not draws from q: log q is stored, IS metrics come from fresh draws
  if (n_rec >= 2) {
    out.traces["U"] = rec.trace_U;
    if (K > 0) out.traces["mode"] = rec.trace_mode;
  }
  auto& sc = out.scalars;
  const char* ph[2] = {"training", "production"};
  const long its[2] = {training_its_, production_its_};
  for (int p = 0; p < 2; ++p) {
    if (its[p] == 0) continue;
    const std::string tag = ph[p];
    if (local_steps_ > 0) sc["local_acceptance_" + tag] = rec.phase[p].local_acceptance / double(its[p]);
    if (use_flow) sc["global_acceptance_" + tag] = rec.phase[p].global_acceptance / double(its[p]);
    if (K > 0) sc["mode_switches_" + tag] = double(rec.phase[p].switches);
    sc["wall_seconds_" + tag] = rec.phase[p].wall;
  }
  if (production_its_ > 0) sc["flow_jump_fraction_production"] = ser["flow_jump_fraction"].back();
  sc["step_size"] = h;
  sc["moves_per_walker"] = double(move);
  sc["target_gradient_evals_per_walker"] = double(move);  // one per MALA and per flow proposal
  if (!rec.train_losses.empty()) sc["final_loss"] = rec.train_losses.back();

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
      for (long r = 0; r < n_rec; ++r) col(r, 0) = rec.trace_U(r, i);
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
  if (use_flow) sc["flow_nfe"] = double(nfe_before + cnf->nfe());

  // Method-specific datasets.
  std::optional<interpolant::FlowSnapshot> net;
  if (use_flow) net.emplace(*cnf);
  Vector<Real, HostSpace> tau_view("tau_chain", n);
  for (std::size_t i = 0; i < n; ++i) tau_view(i) = tau_chain[i];
  const auto T = training_its_, P = production_its_;
  const auto& train_losses = rec.train_losses;
  out.write_extra = [=](io::H5Writer& f) {
    f.attribute("/flow_mcmc", "training_iterations", std::int64_t(T));
    f.attribute("/flow_mcmc", "production_iterations", std::int64_t(P));
    f.attribute("/flow_mcmc", "samples", std::string("production-phase chain states (flow frozen); "
                                                     "log_q = the frozen flow's density at them"));
    f.write_rows("/flow_mcmc/iat_U_chain", tau_view);
    if (!train_losses.empty()) f.write_array("/flow_mcmc/training/loss", train_losses, {train_losses.size()});
    if (net) net->write(f, "/flow_mcmc/network");
    if (is_dec.global > 0) {  // the same decision on every rank
      f.write_rows("/flow_mcmc/flow_samples/x", is_x);
      f.write_rows("/flow_mcmc/flow_samples/U", is_U);
      f.write_rows("/flow_mcmc/flow_samples/log_q", is_lq);
    }
  };
  return out;
}

}  // namespace boltzflow::flow_mcmc
