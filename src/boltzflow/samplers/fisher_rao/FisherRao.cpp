#include "boltzflow/samplers/fisher_rao/FisherRao.hpp"

#include <cmath>
#include <vector>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Math.hpp"
#include "boltzflow/core/Signals.hpp"
#include "boltzflow/io/TrajectoryWriter.hpp"
#include "boltzflow/nn/Adam.hpp"
#include "boltzflow/nn/DataParallel.hpp"
#include "boltzflow/samplers/fisher_rao/FlowPath.hpp"
#include "boltzflow/samplers/fisher_rao/GradientFlowVelocity.hpp"
#include "boltzflow/samplers/fisher_rao/Residual.hpp"
#include "boltzflow/samplers/fisher_rao/Streams.hpp"

namespace boltzflow::fisher_rao {

void add_fisher_rao_options(config::po::options_description& d) {
  using namespace config;
  const auto big = std::int64_t(1) << 40;
  add_choice(d, "fisher_rao.interpolation", "gradient_flow", {"gradient_flow", "linear", "learned"},
             "curve: gradient_flow (fixed OU velocity, learned psi and schedule), linear or learned (learned velocity)");
  add<long>(d, "fisher_rao.iterations", 2000,
            "training iterations (optimizer steps); a checkpoint follows the last one (any run.checkpoint_every)", 0,
            1L << 40);
  add<std::int64_t>(d, "fisher_rao.batch", 4096,
                    "global collocation batch: box-OU points (gradient_flow) or trajectories (linear, learned)", 1, big);
  add<std::int64_t>(d, "fisher_rao.time_groups", 64,
                    "gradient_flow: distinct stratified times per iteration (batch must be a multiple)", 1, big);
  add_choice(d, "fisher_rao.schedule", "affine", {"affine", "nonnegative"},
             "gradient_flow: weight of log rho in f_t: affine t*g(t) + 1 - t (methods.md), or nonnegative (1 - t)*exp(t*g(t)) "
             "(keeps rho_t normalisable for targets with super-Gaussian tails, e.g. manywell)");
  add<double>(d, "fisher_rao.beta_min", 0.1, "gradient_flow: VP schedule beta_min", 0.0, 1e6);
  add<double>(d, "fisher_rao.beta_max", 20.0, "gradient_flow: VP schedule beta_max", 0.0, 1e6);
  add<double>(d, "fisher_rao.t_min", 0.001, "gradient_flow: smallest time (training t ~ U(t_min, 1); samples end here)", 1e-9,
              0.5);
  add<double>(d, "fisher_rao.t_max", 0.999, "gradient_flow: sampling starts from N(0, I) at this time", 0.5, 1.0);
  add<double>(d, "fisher_rao.box_lo", -50.0, "gradient_flow: lower corner of the collocation box (every coordinate)", -1e9, 1e9);
  add<double>(d, "fisher_rao.box_hi", 50.0, "gradient_flow: upper corner of the collocation box (every coordinate)", -1e9, 1e9);
  add<double>(d, "fisher_rao.base_sigma", 1.0, "linear/learned: base N(0, sigma^2 I) at t = 0", 1e-9, 1e9);
  add<int>(d, "fisher_rao.collocation_times", 51,
           "linear/learned: residual times t_k = k/(n-1) along each trajectory (one RK4 step between them)", 2, 100000);
  add_choice(d, "fisher_rao.learn_c", "auto", {"auto", "on", "off"},
             "learn the constant C_t (~ -d/dt log Z_t); auto: on for linear, off for gradient_flow/learned");
  add_choice(d, "fisher_rao.loss", "auto", {"auto", "l2", "l1_l2"},
             "residual loss: mean r^2 (l2) or mean |r| + r^2 (l1_l2); auto: l2 for gradient_flow, else l1_l2");
  add<int>(d, "fisher_rao.time_width", 64, "width of the time-only networks g(t) and C_t", 1, 65536);
  add<int>(d, "fisher_rao.time_depth", 2, "hidden layers of the time-only networks g(t) and C_t", 1, 64);
  add_choice(d, "fisher_rao.scheme", "rk4_38", {"euler", "rk4", "rk4_38"},
             "time integrator for trajectories and samples (rk4_38 = torchdiffeq's rk4)");
  add<int>(d, "fisher_rao.sample_steps", 99, "integrator steps of the sampling path (100 time points)", 1, 1000000);
  add<std::int64_t>(d, "fisher_rao.samples", 10000, "number of samples generated after training", 0, big);
  add<std::int64_t>(d, "fisher_rao.sample_batch", 5000, "particles per rank integrated together when sampling", 1, big);
  add<std::int64_t>(d, "fisher_rao.nll_samples", 10000,
                    "exact target samples for NLL = -E_target[log q] (0 = off; needs an exact sampler)", 0, big);
  add<std::int64_t>(d, "fisher_rao.save_trajectories", 64, "sampling trajectories stored in <prefix>_trajectories.h5 (lowest ids)", 0,
                    100000);
  add<long>(d, "fisher_rao.print_every", 100, "progress line every k iterations", 1, 1L << 40);
  nn::add_adam_options(d, "fisher_rao", 1e-3, 100.0);
  // The [network] section (ψ and v) is shared with the other neural samplers: declare it once.
  if (!d.find_nothrow("network.width", false)) nn::add_network_options(d);
}

FisherRao::FisherRao(const config::Options& o)
    : iterations_(o.get<long>("fisher_rao.iterations")),
      print_every_(o.get<long>("fisher_rao.print_every")),
      batch_(o.get<std::int64_t>("fisher_rao.batch")),
      samples_(o.get<std::int64_t>("fisher_rao.samples")),
      sample_batch_(o.get<std::int64_t>("fisher_rao.sample_batch")),
      nll_samples_(o.get<std::int64_t>("fisher_rao.nll_samples")),
      save_trajectories_(o.get<std::int64_t>("fisher_rao.save_trajectories")),
      collocation_times_(o.get<int>("fisher_rao.collocation_times")),
      sample_steps_(o.get<int>("fisher_rao.sample_steps")),
      t_min_(o.get<double>("fisher_rao.t_min")),
      t_max_(o.get<double>("fisher_rao.t_max")),
      scheme_(ode::scheme_from_string(o.str("fisher_rao.scheme"), "fisher_rao.scheme")) {
  adam_ = nn::adam_config(o, "fisher_rao", iterations_);
  cfg_.kind = interpolation_from_string(o.str("fisher_rao.interpolation"));
  cfg_.net = nn::network_config(o);
  if (cfg_.net.precision != nn::Precision::float64)
    throw InputError("network.precision = float: fisher_rao runs in double precision only");
  cfg_.time_width = o.get<int>("fisher_rao.time_width");
  cfg_.time_depth = o.get<int>("fisher_rao.time_depth");
  const auto lc = o.str("fisher_rao.learn_c");
  cfg_.learn_c = lc == "on" || (lc == "auto" && cfg_.kind == Interpolation::linear);
  cfg_.base_sigma = o.get<double>("fisher_rao.base_sigma");
  cfg_.weight = log_target_weight_from_string(o.str("fisher_rao.schedule"));
  if (cfg_.kind != Interpolation::gradient_flow && cfg_.weight != LogTargetWeight::affine)
    throw InputError("fisher_rao.schedule = " + to_string(cfg_.weight) + " applies to interpolation = gradient_flow only");
  cfg_.vp.beta_min = o.get<double>("fisher_rao.beta_min");
  cfg_.vp.beta_max = o.get<double>("fisher_rao.beta_max");
  if (cfg_.vp.beta_max < cfg_.vp.beta_min) throw InputError("fisher_rao.beta_max must be >= fisher_rao.beta_min");
  const auto ls = o.str("fisher_rao.loss");
  loss_ = ls == "l2" ? LossKind::l2
          : ls == "l1_l2" ? LossKind::l1_l2
          : cfg_.kind == Interpolation::gradient_flow ? LossKind::l2 : LossKind::l1_l2;
  box_.groups = o.get<std::int64_t>("fisher_rao.time_groups");
  box_.t_min = t_min_;
  box_.lo = o.get<double>("fisher_rao.box_lo");
  box_.hi = o.get<double>("fisher_rao.box_hi");
  if (!(box_.hi > box_.lo)) throw InputError("fisher_rao.box_hi must be > fisher_rao.box_lo");
  box_.vp = cfg_.vp;
  if (cfg_.kind == Interpolation::gradient_flow && batch_ % box_.groups != 0)
    throw InputError("fisher_rao.time_groups = " + std::to_string(box_.groups) + " does not divide fisher_rao.batch = " +
                     std::to_string(batch_));
  if (t_max_ <= t_min_) throw InputError("fisher_rao.t_max must be > fisher_rao.t_min");
}

namespace {

double finite_or_throw(double v, const std::string& what) {
  if (!std::isfinite(v)) throw NumericalError("fisher_rao: " + what);
  return v;
}

// Chunks of `batch` rows on the rank with the most rows: every rank runs this many chunk steps
// (some with no rows), so a collective stop poll per chunk stays matched.
std::int64_t global_chunks(const Comm& comm, std::int64_t local, std::int64_t batch) {
  return std::int64_t(comm.max(double((local + batch - 1) / batch)));
}

// The sampling path of the trained curve, shared by sample() and nll(): the velocity (the fixed
// gradient-flow field or the learned v), the times of its base and data ends, and the σ of the
// base N(0, σ²I).
struct SamplingPath {
  SamplingPath(Model& m, const Target& target, double t_min, double t_max)
      : gf(m.kind() == Interpolation::gradient_flow),
        gf_field(m, target),
        field(gf ? static_cast<const nn::VelocityField<Real>&>(gf_field) : *m.v),
        t_base(gf ? t_max : 0.0),
        t_data(gf ? t_min : 1.0),
        sigma(gf ? 1.0 : m.config().base_sigma) {}
  SamplingPath(const SamplingPath&) = delete;  // `field` may refer to the member gf_field
  bool gf;
  GradientFlowVelocity gf_field;
  const nn::VelocityField<Real>& field;
  double t_base, t_data, sigma;
};

// log q at this rank's rows of x (no collectives): the sampling path run backwards, from the data
// end to the base, in chunks of `batch` rows; log q(x) = log π(z) + ∫_{data}^{base} ∇·v dt (the
// reverse of log q = log π − ∫_{base}^{data}).
void path_log_density(const SamplingPath& path, ode::Scheme scheme, int steps, std::int64_t batch,
                      const Particles& x, const Scalars& log_q) {
  const std::int64_t n = std::int64_t(x.extent(0));
  for (std::int64_t c0 = 0; c0 < n; c0 += batch) {
    const auto rows = std::make_pair(c0, std::min(n, c0 + batch));
    Particles xc("boltzflow::fisher_rao::log_density_x", rows.second - c0, x.extent(1));
    Kokkos::deep_copy(xc, Kokkos::subview(x, rows, Kokkos::ALL()));  // integrated in place
    const Scalars lq = Kokkos::subview(log_q, rows);
    Scalars ell("ell", rows.second - c0);
    integrate_path(path.field, scheme, path.t_data, path.t_base, steps, nn::DivMode::exact, xc, ell, {}, nullptr);
    log_base(xc, path.sigma, lq);
    Kokkos::parallel_for(
        "boltzflow::fisher_rao::log_density", Kokkos::RangePolicy<ExecSpace>(0, rows.second - c0),
        KOKKOS_LAMBDA(const int i) { lq(i) += ell(i); });
  }
}

}  // namespace

void FisherRao::checkpoint(RunContext& ctx, bool stop, bool due, const std::string& where) {
  if (!ctx.checkpoints) return;
  if (stop || due) {
    auto w = ctx.checkpoints->begin("fisher_rao");
    const double seconds = state_->seconds + (training_ ? train_timer_.seconds() : 0.0);
    write_train_state(*w, curve_signature(cfg_, ctx.target.name()), *model_, *state_, seconds, iterations_);
    ctx.checkpoints->commit(*w);
  }
  if (stop) throw StopRequested("fisher_rao: stopped by signal " + where + ", checkpoint " + ctx.checkpoints->path());
}

void FisherRao::train(RunContext& ctx, SampleSet& out) {
  const auto& comm = ctx.comm;
  const auto& target = ctx.target;
  Model& m = *model_;
  TrainState& st = *state_;
  const int d = target.dim();
  for (const auto& b : m.blocks()) nn::broadcast_params(comm, b.params);
  if (auto r = ctx.checkpoints ? ctx.checkpoints->restart("fisher_rao") : nullptr) {
    read_train_state(*r, curve_signature(cfg_, target.name()), m, st, iterations_);
    ctx.progress.message("fisher_rao: resumed at iteration " + std::to_string(st.iteration) + " of " +
                         std::to_string(iterations_));
  }
  ResidualLoss loss(m, loss_);
  const auto dec = Decomposition::even(comm, batch_);
  Particles x("boltzflow::fisher_rao::collocation", dec.local, d);
  TargetJets tj;
  const bool gf = m.kind() == Interpolation::gradient_flow;
  const int T = collocation_times_;
  const double points = gf ? double(batch_) : double(batch_) * T;
  const Rng traj_rng(ctx.seed, stream_trajectory);
  // The loss sum carries the stop flag: polling the signal every iteration costs no collective.
  Vector<double, HostSpace> reduced("boltzflow::fisher_rao::loss_and_stop", 2);
  train_timer_.reset();
  training_ = true;
  ctx.progress.start("fisher_rao", iterations_, print_every_);
  for (long it = st.iteration; it < iterations_; ++it) {
    // Every draw is keyed by (seed, iteration, global row): nothing to restore but `it`.
    const auto step = static_cast<std::uint32_t>(it);
    const std::string at = "at iteration " + std::to_string(it + 1) + " of " + std::to_string(iterations_);
    m.zero_grads();
    double local = 0;
    if (gf) {
      const auto groups = box_.draw(dec, ctx.seed, step, x);
      tj.evaluate(target, x, true);
      for (const auto& g : groups) {
        const auto rows = std::make_pair(g.begin, g.end);
        const Particles xg = Kokkos::subview(x, rows, Kokkos::ALL());
        local += loss.evaluate(xg, g.t, tj.rows(g.begin, g.end), true);
      }
    } else {
      // Collocation along the current flow's trajectories: positions are not differentiated.
      draw_base(traj_rng, dec.offset, step, cfg_.base_sigma, x);
      for (int k = 0; k < T; ++k) {
        const double t = double(k) / (T - 1);
        tj.evaluate(target, x, false);
        local += loss.evaluate(x, t, tj, true);
        if (k + 1 < T)
          st.nfe += integrate_path(*m.v, scheme_, t, double(k + 1) / (T - 1), 1, nn::DivMode::none, x, {}, {}, nullptr);
      }
    }
    reduced(0) = local;
    reduced(1) = ctx.checkpoints && stop_signal_received() ? 1.0 : 0.0;
    comm.allreduce_sum(reduced);
    // The global loss, gradient and stop flag are the same on every rank: all ranks throw together.
    const double L = reduced(0) / points;
    const bool stop = reduced(1) > 0;
    finite_or_throw(L, "loss is not finite " + at);
    nn::average_gradients(comm, m.grads(), points);
    double gn2 = 0;
    const double lr = st.adam.empty() ? 0.0 : st.adam[0].current_lr();
    for (std::size_t b = 0; b < st.adam.size(); ++b) {
      double gn = 0;
      try {
        gn = st.adam[b].step(m.blocks()[b].params, m.blocks()[b].grad);
      } catch (const NumericalError& e) {
        throw NumericalError("fisher_rao: " + at + ", network " + m.blocks()[b].name + ": " + e.what());
      }
      gn2 += gn * gn;
    }
    st.loss.push_back(L);
    st.lr.push_back(lr);
    st.grad_norm.push_back(std::sqrt(gn2));
    st.iteration = it + 1;
    ctx.progress.update(it + 1, {{"loss", L}, {"lr", lr}});
    // The checkpoint after the last iteration is written whatever run.checkpoint_every (0 too), as
    // flow_mcmc and interpolant do at the end of training: a stop or a crash while sampling then
    // restarts into sampling instead of retraining.
    checkpoint(ctx, stop, ctx.checkpoints && (ctx.checkpoints->due(it + 1) || it + 1 == iterations_), at);
  }
  Kokkos::fence();
  st.seconds += train_timer_.seconds();
  training_ = false;
  if (!st.loss.empty()) {  // no empty datasets in the output
    out.series["loss"] = st.loss;
    out.series["lr"] = st.lr;
    out.series["grad_norm"] = st.grad_norm;
  }
  out.scalars["train_iterations"] = double(iterations_);
  out.scalars["train_batch"] = double(batch_);
  out.scalars["final_loss"] = st.loss.empty() ? NAN : st.loss.back();
  out.scalars["train_nfe_per_iteration"] = iterations_ > 0 ? double(st.nfe) / iterations_ : 0.0;
  out.scalars["train_wall_s"] = comm.max(st.seconds);
}

void FisherRao::sample(RunContext& ctx, SampleSet& out) {
  const auto& comm = ctx.comm;
  const auto& target = ctx.target;
  Model& m = *model_;
  const int d = target.dim();
  const SamplingPath path(m, target, t_min_, t_max_);
  const double ta = path.t_base, tb = path.t_data, s = path.sigma;
  const double orient = tb > ta ? 1.0 : -1.0;  // ω accumulates with the signed step

  out.dec = Decomposition::even(comm, samples_);
  const std::size_t n = out.dec.local;
  out.x = Particles("x", n, d);
  out.U = Scalars("U", n);
  out.log_q = Scalars("log_q", n);
  out.has_log_q = true;
  const Rng rng(ctx.seed, stream_sample);
  // Trajectories of the lowest global ids: this rank's share, kept on the host (save_trajectories
  // rows at most) and streamed to the trajectory file frame by frame after sampling.
  const std::int64_t n_traj = std::max<std::int64_t>(0, std::min(save_trajectories_, samples_) - out.dec.offset);
  const std::size_t my_traj = std::size_t(std::min<std::int64_t>(n_traj, out.dec.local));
  Matrix<Real, HostSpace> traj("trajectories", my_traj, std::size_t(sample_steps_ + 1) * d);
  double action = 0;
  long nfe = 0;
  const std::int64_t chunks = global_chunks(comm, out.dec.local, sample_batch_);
  for (std::int64_t chunk = 0; chunk < chunks; ++chunk) {
    checkpoint(ctx, ctx.checkpoints && stop_requested(comm), false, "while sampling (after training)");
    const std::size_t c0 = std::size_t(chunk * sample_batch_);
    if (c0 >= n) continue;
    const std::size_t c1 = std::min(n, c0 + std::size_t(sample_batch_));
    const auto rows = std::make_pair(c0, c1);
    const Particles x = Kokkos::subview(out.x, rows, Kokkos::ALL());
    const Scalars lq = Kokkos::subview(out.log_q, rows);
    Scalars ell("ell", c1 - c0), omega("omega", c1 - c0);
    draw_base(rng, out.dec.offset + c0, 0, s, x);
    log_base(x, s, lq);
    std::function<void(int)> record;
    const std::size_t rec = c0 < my_traj ? std::min(my_traj, c1) - c0 : 0;
    if (rec > 0) {
      record = [&, rec, c0](int k) {
        auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), x);
        for (std::size_t i = 0; i < rec; ++i)
          for (int j = 0; j < d; ++j) traj(c0 + i, std::size_t(k) * d + j) = h(i, j);
      };
      record(0);
    }
    const long f = integrate_path(path.field, scheme_, ta, tb, sample_steps_, nn::DivMode::exact, x, ell, omega, record);
    if (c0 == 0) nfe = f;
    double a = 0;
    Kokkos::parallel_reduce(
        "boltzflow::fisher_rao::log_q", Kokkos::RangePolicy<ExecSpace>(0, c1 - c0),
        KOKKOS_LAMBDA(const int i, double& acc) {
          lq(i) -= ell(i);  // d/dt log p = −∇·v along the path
          acc += orient * omega(i);
        },
        a);
    action += a;
  }
  target.energy(out.x, out.U);
  double bad = 0;
  const auto xs = out.x;
  const auto lq = out.log_q, U = out.U;
  Kokkos::parallel_reduce(
      "boltzflow::fisher_rao::check", Kokkos::RangePolicy<ExecSpace>(0, n),
      KOKKOS_LAMBDA(const int i, double& b) {
        double z = lq(i) - lq(i) + U(i) - U(i);  // x − x ≠ 0 for NaN and ±Inf
        for (int j = 0; j < d; ++j) z += xs(i, j) - xs(i, j);
        b += z == 0.0 ? 0.0 : 1.0;
      },
      bad);
  const double nonfinite = comm.sum(bad);
  if (nonfinite > 0)
    throw NumericalError("fisher_rao: sampling after iteration " + std::to_string(state_->iteration) + ": " +
                         std::to_string(std::int64_t(nonfinite)) + " samples with non-finite x, log q or U");
  if (target.has_log_z()) {
    // The re-implementation's "NLL": −mean log ρ(x) of the generated samples under the normalised target.
    double su = 0;
    Kokkos::parallel_reduce(
        "boltzflow::fisher_rao::mean_U", Kokkos::RangePolicy<ExecSpace>(0, n),
        KOKKOS_LAMBDA(const int i, double& acc) { acc += U(i); }, su);
    out.scalars["nll_target_at_samples"] = comm.sum(su) / double(samples_) + target.log_z();
  }
  out.scalars["kinetic_action"] = samples_ > 0 ? comm.sum(action) / double(samples_) : NAN;
  out.scalars["nfe_sampling"] = double(nfe);

  // Trajectories: this rank's rows, one collective frame at a time, into <prefix>_trajectories.h5
  // (ParaView time = |t - t_start|, increasing along the sampling path; gradient_flow runs t backwards).
  std::vector<double> times;
  for (int k = 0; k <= sample_steps_; ++k) times.push_back(ta + (tb - ta) * double(k) / sample_steps_);
  if (std::min(save_trajectories_, samples_) > 0 && ctx.open_trajectories) {
    std::vector<double> since_start;
    for (const double t : times) since_start.push_back(std::abs(t - times.front()));
    out.trajectory_file = ctx.open_trajectories(std::int64_t(my_traj), d, since_start);
    out.trajectory_file->file().attribute("/trajectories", "t", std::string("fisher_rao curve time t of frame f: /fisher_rao/trajectory_times"));
    HostParticles frame("boltzflow::fisher_rao::frame", my_traj, d);
    for (int k = 0; k <= sample_steps_; ++k) {
      for (std::size_t i = 0; i < my_traj; ++i)
        for (int j = 0; j < d; ++j) frame(i, j) = traj(i, std::size_t(k) * d + j);
      out.trajectory_file->write_frame(k, frame);
    }
    out.trajectories = out.trajectory_file->layout();
  }
  const std::string traj_file = out.trajectory_file ? out.trajectory_file->file_name() : "";
  struct Net {
    std::string name;
    std::vector<double> params;
    int width, depth;
  };
  auto nets = std::make_shared<std::vector<Net>>();
  for (const auto& b : m.blocks()) {
    auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), b.params);
    const bool time_net = b.name == "g" || b.name == "c";
    nets->push_back({b.name, std::vector<double>(h.data(), h.data() + h.span()),
                     time_net ? cfg_.time_width : cfg_.net.shape.width, time_net ? cfg_.time_depth : cfg_.net.shape.depth});
  }
  const std::string kind = to_string(m.kind()), act = nn::to_string(cfg_.net.shape.activation);
  const std::string time_in = nn::to_string(cfg_.net.shape.time);
  const bool learn_c = cfg_.learn_c;
  const std::string weight = m.kind() == Interpolation::gradient_flow ? to_string(cfg_.weight) : "";
  out.write_extra = [traj_file, times, nets, kind, act, time_in, learn_c, weight](io::H5Writer& f) {
    f.attribute("/fisher_rao", "interpolation", kind);
    if (!weight.empty()) f.attribute("/fisher_rao", "schedule", weight);
    f.attribute("/fisher_rao", "learn_c", std::int64_t(learn_c));
    for (const auto& net : *nets) {
      const std::string g = "/fisher_rao/networks/" + net.name;
      f.write_array(g + "/params", net.params, {net.params.size()});
      f.attribute(g, "width", std::int64_t(net.width));
      f.attribute(g, "depth", std::int64_t(net.depth));
      f.attribute(g, "activation", act);
      f.attribute(g, "time_input", net.name == "g" || net.name == "c" ? std::string("t as the input") : time_in);
    }
    f.write_array("/fisher_rao/trajectory_times", times, {times.size()});
    if (!traj_file.empty()) {  // the paths themselves live in the trajectory file
      f.external_link(io::TrajectoryWriter::dataset, traj_file, io::TrajectoryWriter::dataset);
      f.external_link(io::TrajectoryWriter::times_dataset, traj_file, io::TrajectoryWriter::times_dataset);
      f.attribute("/trajectories", "file", traj_file);
    }
  };
}

double FisherRao::nll(RunContext& ctx) {
  const auto& comm = ctx.comm;
  const auto& target = ctx.target;
  const int d = target.dim();
  // The sampling path run backwards, from the data end to the base.
  const SamplingPath path(*model_, target, t_min_, t_max_);
  const auto dec = Decomposition::even(comm, nll_samples_);
  Particles x("boltzflow::fisher_rao::nll_x", dec.local, d);
  target.sample(ctx.seed + 2, dec.offset, x);  // seed + 1 keys the report's reference set
  double sum = 0;
  const std::int64_t chunks = global_chunks(comm, dec.local, sample_batch_);
  for (std::int64_t chunk = 0; chunk < chunks; ++chunk) {
    checkpoint(ctx, ctx.checkpoints && stop_requested(comm), false, "while computing the NLL (after training)");
    const std::int64_t c0 = chunk * sample_batch_;
    if (c0 >= dec.local) continue;
    const std::int64_t c1 = std::min(dec.local, c0 + sample_batch_);
    const Particles xc = Kokkos::subview(x, std::make_pair(c0, c1), Kokkos::ALL());
    Scalars lq("log_q", c1 - c0);
    path_log_density(path, scheme_, sample_steps_, sample_batch_, xc, lq);
    double part = 0;
    Kokkos::parallel_reduce(
        "boltzflow::fisher_rao::nll", Kokkos::RangePolicy<ExecSpace>(0, c1 - c0),
        KOKKOS_LAMBDA(const int i, double& acc) { acc -= lq(i); }, part);
    sum += part;
  }
  return comm.sum(sum) / double(nll_samples_);
}

SampleSet FisherRao::run(RunContext& ctx) {
  cfg_.dim = ctx.target.dim();
  model_ = std::make_shared<Model>(cfg_);
  state_ = std::make_unique<TrainState>(*model_, adam_);
  SampleSet out;
  train(ctx, out);  // sets train_wall_s (accumulated over restarts)
  Kokkos::Timer timer;
  sample(ctx, out);
  Kokkos::fence();
  out.scalars["sample_wall_s"] = ctx.comm.max(timer.seconds());
  if (nll_samples_ > 0 && ctx.target.has_sampler()) {
    timer.reset();
    out.scalars["nll"] = finite_or_throw(nll(ctx), "NLL is not finite");
    out.scalars["nll_samples"] = double(nll_samples_);
    out.scalars["nll_wall_s"] = ctx.comm.max(timer.seconds());
  }
  out.scalars["num_params"] = double(model_->num_params());
  // The report's EUBO evaluates log q at its exact samples. The hook holds the trained model, so
  // it outlives the sampler; the target is the caller's and must outlive the hook.
  const Target* target = &ctx.target;
  out.log_density = [model = model_, target, scheme = scheme_, steps = sample_steps_, batch = sample_batch_,
                     t_min = t_min_, t_max = t_max_](const Particles& x, const Scalars& lq) {
    const SamplingPath path(*model, *target, t_min, t_max);
    path_log_density(path, scheme, steps, batch, x, lq);
  };
  return out;
}

}  // namespace boltzflow::fisher_rao
