#include "boltzflow/samplers/mcmc/LocalMcmc.hpp"

#include <algorithm>
#include <cmath>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/core/Signals.hpp"

namespace boltzflow::mcmc {

void add_mcmc_options(config::po::options_description& d) {
  using namespace config;
  add<std::int64_t>(d, "mcmc.chains", 1000, "number of chains (all ranks together)", 1, std::int64_t(1) << 40);
  add<long>(d, "mcmc.steps", 1000, "MCMC moves after warm-up", 0, 1L << 31);
  add<long>(d, "mcmc.warmup", 500, "warm-up moves (step size adapted, not recorded)", 0, 1L << 31);
  add<double>(d, "mcmc.step_size", 0.05, "initial MALA step h (proposal x - h grad U + sqrt(2h) xi) or HMC leapfrog step", 1e-12, 1e6);
  add<double>(d, "mcmc.target_accept", 0.0, "warm-up acceptance target; 0 = 0.574 (MALA) / 0.65 (HMC)", 0.0, 0.99);
  add<double>(d, "mcmc.adapt_rate", 0.1,
              "Robbins-Monro rate of the log step-size adaptation (decays to 0 over the last quarter of warm-up; then h is frozen)",
              0.0, 10.0);
  add<int>(d, "mcmc.leapfrog", 10, "HMC leapfrog steps per move", 1, 100000);
  add<double>(d, "mcmc.hmc_jitter", 0.2, "HMC: each chain's step is step_size * (1 + jitter * U[-1, 1]) per move", 0.0, 0.9);
  add_choice(d, "mcmc.init", "gaussian", {"gaussian", "exact"}, "chain start: N(0, init_scale^2 I) or the target's exact sampler");
  add<double>(d, "mcmc.init_scale", 1.0, "standard deviation of the Gaussian chain start", 1e-12, 1e12);
  add<long>(d, "mcmc.record_every", 10, "record U(x) traces every k moves for autocorrelation (0 = off)", 0, 1L << 31);
  add<long>(d, "mcmc.print_every", 100, "progress line every k moves", 1, 1L << 31);
}

LocalMcmc::LocalMcmc(Kind kind, const config::Options& o)
    : kind_(kind),
      chains_(o.get<std::int64_t>("mcmc.chains")),
      steps_(o.get<long>("mcmc.steps")),
      warmup_(o.get<long>("mcmc.warmup")),
      record_every_(o.get<long>("mcmc.record_every")),
      print_every_(o.get<long>("mcmc.print_every")),
      step_size0_(o.get<double>("mcmc.step_size")),
      target_accept_(o.get<double>("mcmc.target_accept")),
      adapt_rate_(o.get<double>("mcmc.adapt_rate")),
      init_scale_(o.get<double>("mcmc.init_scale")),
      jitter_(o.get<double>("mcmc.hmc_jitter")),
      leapfrog_(o.get<int>("mcmc.leapfrog")),
      init_(o.str("mcmc.init")) {
  if (target_accept_ == 0.0) target_accept_ = kind == Kind::mala ? 0.574 : 0.65;
}

SampleSet LocalMcmc::run(RunContext& ctx) {
  const auto& comm = ctx.comm;
  const auto& target = ctx.target;
  const int d = target.dim();
  SampleSet out;
  out.dec = Decomposition::even(comm, chains_);
  const auto n = static_cast<std::size_t>(out.dec.local);
  const std::uint64_t first = static_cast<std::uint64_t>(out.dec.offset);
  const char* name = kind_ == Kind::mala ? "mala" : "hmc";

  state_.chains = ChainState("chains", n, d);
  state_.step_size = step_size0_;
  state_.step = 0;
  auto& s = state_.chains;
  if (init_ == "exact") {
    if (!target.has_sampler()) throw InputError("mcmc.init = exact: target '" + target.name() + "' has no exact sampler");
    target.sample(ctx.seed, first, s.x);
  } else {
    const auto x = s.x;
    const Rng rng(ctx.seed, Stream::init_particles);
    const double sc = init_scale_;
    Kokkos::parallel_for(
        "boltzflow::mcmc::init", Kokkos::RangePolicy<ExecSpace>(0, n), KOKKOS_LAMBDA(const int i) {
          for (int j = 0; j < d; ++j) x(i, j) = sc * rng.normal(first + i, 0, j);
        });
  }

  const long total = warmup_ + steps_;
  const long n_record = record_every_ > 0 ? steps_ / record_every_ : 0;
  Matrix<Real, HostSpace> trace_U("trace_U", n_record, n);
  auto& acc_series = out.series["acceptance"];
  auto& h_series = out.series["step_size"];
  std::int64_t accepted_after_warmup = 0;

  // The complete state: chains, step size, counters, series and traces so far.
  const auto save = [&]() {
    auto w = ctx.checkpoints->begin(name);
    w->write_rows_from("/state/x", s.x);
    Matrix<Real, HostSpace> tr("trace_rows", n, n_record);  // one row per chain
    for (long r = 0; r < n_record; ++r)
      for (std::size_t i = 0; i < n; ++i) tr(i, r) = trace_U(r, i);
    if (n_record > 0) w->write_rows("/state/trace_U", tr);
    w->attribute("/state", "step", std::int64_t(state_.step));
    w->attribute("/state", "step_size", state_.step_size);
    w->attribute("/state", "accepted_after_warmup", accepted_after_warmup);
    w->attribute("/state", "chains", chains_);
    w->write_array("/state/acceptance", acc_series, {acc_series.size()});
    w->write_array("/state/step_size_series", h_series, {h_series.size()});
    ctx.checkpoints->commit(*w);
  };
  if (auto r = ctx.checkpoints ? ctx.checkpoints->restart(name) : nullptr) {
    if (r->attribute_int64("/state", "chains") != chains_)
      throw InputError("run.restart: checkpoint has " + std::to_string(r->attribute_int64("/state", "chains")) +
                       " chains, mcmc.chains = " + std::to_string(chains_));
    Kokkos::deep_copy(s.x, r->read_rows("/state/x", out.dec.offset, out.dec.local));
    if (n_record > 0) {
      const auto tr = r->read_rows("/state/trace_U", out.dec.offset, out.dec.local);
      for (long k = 0; k < n_record; ++k)
        for (std::size_t i = 0; i < n; ++i) trace_U(k, i) = tr(i, k);
    }
    state_.step = r->attribute_int64("/state", "step");
    state_.step_size = r->attribute_double("/state", "step_size");
    accepted_after_warmup = r->attribute_int64("/state", "accepted_after_warmup");
    acc_series = r->read_all_double("/state/acceptance");
    h_series = r->read_all_double("/state/step_size_series");
    ctx.progress.message(std::string(name) + ": resumed at step " + std::to_string(state_.step));
  }
  target.gradient(s.x, s.U, s.grad);

  Workspace w(n, d);
  ctx.progress.start(name, total, print_every_);
  for (long k = state_.step; k < total; ++k) {
    const auto step = static_cast<std::uint32_t>(k + 1);  // step 0 is the initialisation
    const double h = state_.step_size;
    const std::int64_t acc_local = kind_ == Kind::mala ? mala_step(target, s, w, h, ctx.seed, first, step)
                                                       : hmc_step(target, s, w, h, jitter_, leapfrog_, ctx.seed, first, step);
    const std::int64_t acc = comm.sum(acc_local);
    const double rate = double(acc) / double(chains_);
    acc_series.push_back(rate);
    h_series.push_back(h);
    if (k < warmup_) {
      // The gain decays linearly to 0 over the last quarter of warm-up, so the iterate that is
      // frozen has settled: a constant gain leaves it fluctuating, and where the acceptance is
      // steep in h (HMC in low dimension) such a fluctuation would set the sampling phase's rate.
      const double gain = adapt_rate_ * std::min(1.0, 4.0 * double(warmup_ - k) / double(warmup_));
      state_.step_size = h * std::exp(gain * (rate - target_accept_));
    } else {
      accepted_after_warmup += acc;
      const long after = k - warmup_ + 1;
      if (record_every_ > 0 && after % record_every_ == 0 && after / record_every_ <= n_record) {
        auto hU = Kokkos::create_mirror_view_and_copy(HostSpace(), s.U);
        for (std::size_t i = 0; i < n; ++i) trace_U(after / record_every_ - 1, i) = hU(i);
      }
    }
    state_.step = k + 1;
    ctx.progress.update(k + 1, {{"acc", rate}, {"h", h}});
    if (ctx.checkpoints) {
      // The signal poll is a collective: every 16 moves keeps it off the per-move path (a move is
      // cheap) while a stop still lands within milliseconds. Same condition on every rank.
      const bool stop = (k + 1) % 16 == 0 && stop_requested(comm);
      if (stop || ctx.checkpoints->due(k + 1)) save();
      if (stop) throw StopRequested(std::string(name) + ": stopped by signal at step " + std::to_string(k + 1) +
                                    ", checkpoint " + ctx.checkpoints->path());
    }
  }

  out.x = s.x;
  out.U = s.U;
  out.log_q = Scalars("log_q", n);
  Kokkos::deep_copy(out.log_q, std::nan(""));
  out.has_log_q = false;
  if (n_record > 0) out.traces["U"] = trace_U;
  out.scalars["acceptance_rate"] = steps_ > 0 ? double(accepted_after_warmup) / double(chains_ * steps_) : 0.0;
  out.scalars["step_size"] = state_.step_size;
  out.scalars["target_gradient_evals_per_chain"] = double(total) * (kind_ == Kind::mala ? 1 : leapfrog_);
  return out;
}

}  // namespace boltzflow::mcmc
