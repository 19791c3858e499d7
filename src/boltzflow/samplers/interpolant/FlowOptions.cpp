#include "boltzflow/samplers/interpolant/FlowOptions.hpp"

#include "boltzflow/core/Error.hpp"
#include "boltzflow/nn/Adam.hpp"
#include "boltzflow/nn/NetworkFactory.hpp"
#include "boltzflow/nn/NetworkOptions.hpp"
#include "boltzflow/ode/Scheme.hpp"

namespace boltzflow::interpolant {

void add_flow_options(config::po::options_description& d, const std::string& section) {
  using namespace config;
  const auto k = [&](const char* key) { return section + "." + key; };
  add_choice(d, k("ode_scheme"), "rk4_38", {"euler", "rk4", "rk4_38"},
             "fixed-step scheme of the flow ODE (sampling and densities, exact divergence)");
  add<int>(d, k("ode_steps"), 8, "ODE steps over t in [0, 1]", 1, 100000);
  add_choice(d, k("path"), "linear", {"linear", "trigonometric"}, "interpolant I_t(x0, x1)");
  add_choice(d, k("noise"), "none", {"none", "sqrt", "quadratic", "sin2"},
             "latent noise gamma(t) z of the interpolant (antithetic +-z)");
  add<double>(d, k("t_min"), 0.0, "smallest training time (keep > 0 with noise = sqrt)", 0.0, 1.0);
  add<double>(d, k("t_max"), 1.0, "largest training time (keep < 1 with noise = sqrt)", 0.0, 1.0);
  add<std::int64_t>(d, k("batch"), 1024, "global minibatch of the training loss (interpolant; flow_mcmc: or likelihood)",
                    1, std::int64_t(1) << 40);
  add<int>(d, k("time_bins"), 16, "time bins per minibatch (one network call per bin and rank)", 1, 1 << 20);
  add_choice(d, k("whitening"), "diagonal", {"diagonal", "full"},
             "affine map of the data before the flow: per-coordinate mean/std (flowMC), or mean and the "
             "Cholesky factor of the covariance (correlated targets: lattice fields, GP priors)");
  add<double>(d, k("min_std"), 1e-3,
              "floor of the whitening standard deviations (full: ridge min_std^2 on the covariance diagonal)", 1e-300,
              1e300);
  nn::add_adam_options(d, section, 1e-3, 1.0);
  if (!d.find_nothrow("network.width", false)) nn::add_network_options(d);
}

InterpolantPath flow_path(const config::Options& o, const std::string& section) {
  InterpolantPath p;
  p.kind = path_from_string(o.str(section + ".path"), section + ".path");
  p.noise = noise_from_string(o.str(section + ".noise"), section + ".noise");
  return p;
}

MinibatchSpec flow_minibatch(const config::Options& o, const std::string& section) {
  MinibatchSpec s;
  s.batch = o.get<std::int64_t>(section + ".batch");
  s.bins = o.get<int>(section + ".time_bins");
  s.t_min = o.get<double>(section + ".t_min");
  s.t_max = o.get<double>(section + ".t_max");
  if (!(s.t_min < s.t_max))
    throw InputError(section + ".t_max = " + std::to_string(s.t_max) + " must exceed " + section + ".t_min");
  if (o.str(section + ".noise") == "sqrt" && (s.t_min <= 0 || s.t_max >= 1))
    throw InputError(section + ".noise = sqrt: gamma' is singular at t = 0, 1; set " + section + ".t_min > 0 and " +
                     section + ".t_max < 1");
  return s;
}

std::unique_ptr<WhitenedCnf> make_flow(const config::Options& o, const std::string& section, int dim) {
  const auto net = nn::network_config(o);
  if (net.precision != nn::Precision::float64)
    throw InputError("network.precision = float: " + section + " supports double only");
  ode::FlowSpec spec;
  spec.scheme = ode::scheme_from_string(o.str(section + ".ode_scheme"), section + ".ode_scheme");
  spec.steps = o.get<int>(section + ".ode_steps");
  spec.div = nn::DivMode::exact;
  return std::make_unique<WhitenedCnf>(nn::make_velocity_mlp<Real>(net, dim), spec,
                                       whitening_from_string(o.str(section + ".whitening"), section + ".whitening"));
}

}  // namespace boltzflow::interpolant
