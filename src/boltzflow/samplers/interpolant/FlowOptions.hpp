#pragma once
// Deck keys shared by the two methods that train a CNF with the interpolant loss
// (run.method = interpolant and flow_mcmc), under their own [section]: the ODE used for
// densities, the interpolant path and minibatch, the whitening floor, Adam (section.lr, ...),
// and the [network] section (declared once even if several methods ask for it).
#include <memory>
#include <string>

#include "boltzflow/config/Options.hpp"
#include "boltzflow/samplers/interpolant/InterpolantPath.hpp"
#include "boltzflow/samplers/interpolant/Minibatch.hpp"
#include "boltzflow/samplers/interpolant/WhitenedCnf.hpp"

namespace boltzflow::interpolant {

void add_flow_options(config::po::options_description& d, const std::string& section);

InterpolantPath flow_path(const config::Options& opts, const std::string& section);
MinibatchSpec flow_minibatch(const config::Options& opts, const std::string& section);
// The velocity MLP of [network] (double precision only) inside a whitened CNF.
std::unique_ptr<WhitenedCnf> make_flow(const config::Options& opts, const std::string& section, int dim);

}  // namespace boltzflow::interpolant
