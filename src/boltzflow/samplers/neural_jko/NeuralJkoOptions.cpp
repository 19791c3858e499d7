#include "boltzflow/samplers/neural_jko/NeuralJkoOptions.hpp"

#include <cmath>
#include <limits>

#include "boltzflow/core/Error.hpp"

namespace boltzflow::neural_jko {

double NeuralJkoConfig::tau(int k) const { return tau0 * std::pow(tau_base, k); }

std::vector<std::int64_t> NeuralJkoConfig::plan() const {
  std::vector<std::int64_t> p;
  for (int k = 0; k < num_cnf(); ++k) {
    p.push_back(0);
    if (k >= n_flow) p.insert(p.end(), rejections_per_block, 1);
  }
  return p;
}

void add_neural_jko_options(config::po::options_description& d) {
  using namespace config;
  const std::string s = "neural_jko.";
  const auto big = std::int64_t(1) << 40;
  add<int>(d, s + "n_flow", 4, "CNF (neural JKO) steps before the first rejection block", 0, 10000);
  add<int>(d, s + "n_rej", 6, "rejection blocks, each = 1 CNF step followed by rejections_per_block rejection steps", 0,
           10000);
  add<int>(d, s + "rejections_per_block", 3, "importance rejection steps after each CNF step of a rejection block", 0, 1000);
  add<double>(d, s + "rejection_rate", 0.2, "target mean rejection rate r that fixes c (MPI-global bisection)", 1e-6,
              1.0 - 1e-6);
  add<double>(d, s + "tau0", 0.01, "JKO step size tau_0 of the first CNF step (loss KL + kinetic/tau_k)", 1e-12, 1e12);
  add<double>(d, s + "tau_base", 4.0, "tau_k = tau0 * tau_base^k", 1e-6, 1e6);
  add<std::int64_t>(d, s + "dataset", 50000, "training samples (all ranks), regenerated from the model after each CNF step",
                    1, big);
  cnf::add_training_options(d, "neural_jko", {5000, 5000, "rademacher", 500, "CNF step"});
  add<double>(d, s + "lr", 5e-3, "Adam learning rate at the start of every CNF step", 0.0, 1e3);
  add<double>(d, s + "lr_decay", 0.95, "lr *= lr_decay every lr_decay_every iterations (staircase)", 1e-12, 1.0);
  add<long>(d, s + "lr_decay_every", 100, "iterations between learning-rate decays", 1, 1L << 40);
  add<double>(d, s + "clip_norm", 0.0, "rescale the gradient to this global 2-norm if larger; 0 = off (reference)", 0.0,
              1e12);
  add<int>(d, s + "width", 0, "hidden width of each CNF's velocity MLP; 0 = 2d + 50 (reference rule)", 0, 65536);
  add<int>(d, s + "depth", 3, "hidden layers of the velocity MLP (reference: 3)", 1, 64);
  add_choice(d, s + "activation", "silu", {"silu", "tanh", "softplus"},
             "hidden activation (the reference uses ELU, which boltzflow's jet MLP does not provide; SiLU is the "
             "closest smooth choice)");
  add_choice(d, s + "time", "linear", {"none", "linear", "fourier"}, "time input of the MLP (reference: t)");
  add<std::uint64_t>(d, s + "init_seed", 1, "weight initialisation seed (CNF step k uses init_seed + k); last layer is zero",
                     0, std::uint64_t(1) << 62);
  add<int>(d, s + "ode_steps", 8, "fixed RK steps per CNF on t in [0, 1], for training, sampling and densities", 1, 100000);
  add_choice(d, s + "scheme", "rk4_38", {"rk4_38", "rk4", "euler"}, "time stepper (rk4_38 = torchdiffeq's rk4)");
  add<double>(d, s + "latent_scale", 1.0, "latent N(0, s^2 I): s", 1e-12, 1e12);
  add<std::int64_t>(d, s + "stack_size", 5000,
                    "minimum rows (all ranks, split evenly) made per refill of a model prefix's sample stream; the "
                    "leftovers are dropped at every step (reference: 25000 kept all run, which costs about as much)",
                    1, big);
  add<int>(d, s + "eval_batch", 0,
           "rows per model evaluation chunk (0: as many as run.memory_budget allows; CNF solves are split by the budget)",
           0, 1 << 30);
  add<std::int64_t>(d, s + "samples", 50000, "output samples (all ranks) drawn from the trained model", 1, big);
}

NeuralJkoConfig neural_jko_config(const config::Options& o) {
  const std::string s = "neural_jko.";
  NeuralJkoConfig c;
  c.n_flow = o.get<int>(s + "n_flow");
  c.n_rej = o.get<int>(s + "n_rej");
  if (c.num_cnf() < 1) throw InputError("neural_jko.n_flow + neural_jko.n_rej must be at least 1");
  c.rejections_per_block = o.get<int>(s + "rejections_per_block");
  c.rejection_rate = o.get<double>(s + "rejection_rate");
  c.tau0 = o.get<double>(s + "tau0");
  c.tau_base = o.get<double>(s + "tau_base");
  c.dataset = o.get<std::int64_t>(s + "dataset");
  c.train = cnf::training_options(o, "neural_jko");
  auto& adam = c.train.adam;
  adam.lr = o.get<double>(s + "lr");
  adam.clip_norm = o.get<double>(s + "clip_norm");
  adam.schedule.kind = nn::LrSchedule::Kind::exponential;
  adam.schedule.decay = o.get<double>(s + "lr_decay");
  adam.schedule.every = o.get<long>(s + "lr_decay_every");
  adam.schedule.total_steps = c.train.iterations > 0 ? c.train.iterations : 1;
  c.width = o.get<int>(s + "width");
  c.network.shape.depth = o.get<int>(s + "depth");
  c.network.shape.activation = nn::activation_from_string(o.str(s + "activation"));
  c.network.shape.time = nn::time_input_from_string(o.str(s + "time"));
  c.network.init_seed = o.get<std::uint64_t>(s + "init_seed");
  c.network.zero_last = true;  // every CNF step starts as the identity (methods.md §2.2)
  c.network.precision = nn::Precision::float64;
  c.flow.steps = o.get<int>(s + "ode_steps");
  c.flow.scheme = ode::scheme_from_string(o.str(s + "scheme"), s + "scheme");
  c.flow.t0 = 0.0;
  c.flow.t1 = 1.0;
  c.latent_scale = o.get<double>(s + "latent_scale");
  c.stack_size = o.get<std::int64_t>(s + "stack_size");
  c.eval_batch = o.get<int>(s + "eval_batch");
  c.samples = o.get<std::int64_t>(s + "samples");
  return c;
}

}  // namespace boltzflow::neural_jko
