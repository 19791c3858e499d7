#include "boltzflow/samplers/annealing_flow/AnnealingFlowOptions.hpp"

#include "boltzflow/core/Error.hpp"

namespace boltzflow::annealing_flow {

void add_annealing_flow_options(config::po::options_description& d) {
  using namespace config;
  const std::string s = "annealing_flow.";
  add<int>(d, s + "blocks", 12, "number K of CNF blocks (those with beta = 1 are refinement blocks)", 1, 10000);
  add<int>(d, s + "anneal_blocks", 10, "n: beta_k = k/n for k <= n, then 1 (n = 1: no annealing, e.g. funnel)", 1, 10000);
  add_choice(d, s + "schedule", "geometric", {"geometric", "truncated_normal"},
             "block energies: geometric E_k = beta_k U + (1 - beta_k)|x|^2/2, or the truncated-normal (c_k, p_k) "
             "relaxation softplus(-p_k(|x| - c_k)) + |x|^2/2");
  add<double>(d, s + "truncation_radius", 6.0, "schedule = truncated_normal: target radius c1 (c_ = c1 + 0.1)", 1e-6, 1e6);
  add<double>(d, s + "delta", 0.05, "reference W2 weight delta_k (1/delta_k) for blocks k <= delta_switch", 1e-12, 1e12);
  add<double>(d, s + "delta_late", 0.10, "delta_k for blocks k > delta_switch", 1e-12, 1e12);
  add<int>(d, s + "delta_switch", 8, "last block that uses delta (GMM 8, ExpGauss 15; 0: delta_late everywhere)", 0, 10000);
  add_choice(d, s + "gamma_rule", "scaled", {"scaled", "inverse_delta"},
             "kinetic weight of the clean objective: gamma_k = 1/(9 d delta_k) (scaled, matches the reference W2 "
             "term) or 1/delta_k");
  add<int>(d, s + "steps", 3, "RK steps S per block (each of size 1/S; the reference uses 3 RK4 steps)", 1, 100000);
  add_choice(d, s + "scheme", "rk4_38", {"rk4_38", "rk4", "euler"}, "time stepper (rk4_38 = torchdiffeq's rk4)");
  add<std::int64_t>(d, s + "particles", 100000, "training particles N (all ranks together), pushed block to block", 1,
                    std::int64_t(1) << 40);
  cnf::add_training_options(d, "annealing_flow", {1000, 1000, "gaussian", 100, "block"});
  add_bool(d, s + "warm_start", true, "block k starts from block k-1's weights");
  add<int>(d, s + "width", 32, "hidden width of every block's velocity MLP", 1, 65536);
  add<int>(d, s + "depth", 2, "hidden layers of the velocity MLP", 1, 64);
  add_choice(d, s + "activation", "softplus", {"softplus", "tanh", "silu"}, "hidden activation");
  add<double>(d, s + "softplus_beta", 20.0, "softplus sharpness (the reference uses Softplus(beta = 20))", 1e-6, 1e6);
  add_choice(d, s + "time", "none", {"none", "linear", "fourier"},
             "time input of the MLP (none: autonomous within a block, as the reference)");
  add<std::uint64_t>(d, s + "init_seed", 1, "seed of the weight initialisation U(+-1/sqrt(fan_in)) (block k: seed + k - 1)", 0,
                     std::uint64_t(1) << 62);
  add<std::int64_t>(d, s + "samples", 10000, "output samples: fresh base draws pushed through all blocks", 1,
                    std::int64_t(1) << 40);
  add<std::int64_t>(d, s + "trajectories", 100,
                    "samples (lowest ids, up to all) whose path through all blocks is streamed to <prefix>_trajectories.h5",
                    0, std::int64_t(1) << 40);
  add<int>(d, s + "langevin_steps", 0, "ULA steps on the training particles after each block (0 = off, the paper setting)",
           0, 1 << 20);
  add<double>(d, s + "langevin_step", 0.05, "ULA step eta: x <- x - eta grad E_k + sqrt(2 eta) xi", 1e-12, 1e3);
  add_bool(d, s + "resample", false, "also write importance-resampled samples (/annealing_flow/resampled_x)");
  nn::add_adam_options(d, "annealing_flow", 1e-4, 1.0);
}

AfConfig af_config(const config::Options& o) {
  const std::string s = "annealing_flow.";
  AfConfig c;
  c.schedule.blocks = o.get<int>(s + "blocks");
  c.schedule.anneal_blocks = o.get<int>(s + "anneal_blocks");
  c.truncation = o.str(s + "schedule") == "truncated_normal";
  c.truncation_radius = o.get<double>(s + "truncation_radius");
  if (!c.truncation && c.schedule.anneal_blocks > c.schedule.blocks)
    throw InputError("annealing_flow.anneal_blocks = " + std::to_string(c.schedule.anneal_blocks) +
                     " exceeds annealing_flow.blocks = " + std::to_string(c.schedule.blocks) + ": beta never reaches 1");
  c.schedule.delta = o.get<double>(s + "delta");
  c.schedule.delta_late = o.get<double>(s + "delta_late");
  c.schedule.delta_switch = o.get<int>(s + "delta_switch");
  c.schedule.inverse_delta = o.str(s + "gamma_rule") == "inverse_delta";
  c.flow.steps = o.get<int>(s + "steps");
  c.flow.scheme = ode::scheme_from_string(o.str(s + "scheme"), s + "scheme");
  c.flow.t0 = 0.0;
  c.flow.t1 = 1.0;
  c.network.shape.width = o.get<int>(s + "width");
  c.network.shape.depth = o.get<int>(s + "depth");
  c.network.shape.activation = nn::activation_from_string(o.str(s + "activation"));
  c.network.shape.softplus_beta = o.get<double>(s + "softplus_beta");
  c.network.shape.time = nn::time_input_from_string(o.str(s + "time"));
  c.network.init_seed = o.get<std::uint64_t>(s + "init_seed");
  c.warm_start = o.get<bool>(s + "warm_start");
  c.particles = o.get<std::int64_t>(s + "particles");
  c.samples = o.get<std::int64_t>(s + "samples");
  c.train = cnf::training_options(o, "annealing_flow");
  c.train.adam = nn::adam_config(o, "annealing_flow", c.train.iterations);
  c.trajectories = o.get<std::int64_t>(s + "trajectories");
  if (c.trajectories > c.samples)
    throw InputError("annealing_flow.trajectories = " + std::to_string(c.trajectories) + " exceeds annealing_flow.samples");
  c.langevin_steps = o.get<int>(s + "langevin_steps");
  c.langevin_step = o.get<double>(s + "langevin_step");
  c.resample = o.get<bool>(s + "resample");
  return c;
}

}  // namespace boltzflow::annealing_flow
