#include "boltzflow/targets/Factory.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/targets/Csv.hpp"
#include "boltzflow/targets/ExpGauss.hpp"
#include "boltzflow/targets/Funnel.hpp"
#include "boltzflow/targets/Lgcp.hpp"
#include "boltzflow/targets/LogisticRegression.hpp"
#include "boltzflow/targets/ManyWell.hpp"
#include "boltzflow/targets/MixtureFile.hpp"
#include "boltzflow/targets/MixturePresets.hpp"
#include "boltzflow/targets/Mustache.hpp"
#include "boltzflow/targets/Phi4.hpp"
#include "boltzflow/targets/Rings.hpp"
#include "boltzflow/targets/TruncatedNormal.hpp"

namespace boltzflow {

namespace {
// Shipped data, relative to the data search path (targets/Csv.hpp): installed under share/boltzflow.
const std::string gmm40_means_file = "inputs/data/gmm40_means.csv";
const std::string breast_cancer_file = "inputs/data/breast_cancer.csv";
const std::string finpines_file = "inputs/data/finpines.csv";

// Target-specific keys and the targets that read them; setting one for another target is an
// error rather than a silently ignored line.
const std::map<std::string, std::vector<std::string>>& key_users() {
  static const std::map<std::string, std::vector<std::string>> users = {
      {"target.seed", {"gmm_d", "gmm40_50d", "logistic"}},
      {"target.instance", {"gmm_d", "gmm40_50d"}},
      {"target.sigma", {"gmm40", "af_ring", "shifted8", "peaky8", "grid", "gmm_d", "gmm40_50d", "asym_gmm"}},
      {"target.weights", {"gmm"}},
      {"target.means", {"gmm"}},
      {"target.sigmas", {"gmm"}},
      {"target.covariances", {"gmm"}},
      {"target.file", {"gmm"}},
      {"target.components", {"grid", "gmm_d"}},
      {"target.spacing", {"grid"}},
      {"target.ring_k", {"af_ring"}},
      {"target.ring_c", {"af_ring"}},
      {"target.expgauss_c", {"expgauss", "expgauss_unequal"}},
      {"target.expgauss_m", {"expgauss", "expgauss_unequal"}},
      {"target.funnel_sigma", {"funnel"}},
      {"target.truncation_radius", {"truncated_normal"}},
      {"target.rings_k", {"rings"}},
      {"target.rings_r", {"rings"}},
      {"target.rings_sigma", {"rings"}},
      {"target.phi4_a", {"phi4"}},
      {"target.phi4_b", {"phi4"}},
      {"target.phi4_beta", {"phi4"}},
      {"target.logistic_data", {"logistic"}},
      {"target.logistic_test_fraction", {"logistic"}},
      {"target.logistic_a0", {"logistic"}},
      {"target.logistic_b0", {"logistic"}},
      {"target.logistic_af_prior", {"logistic"}},
      {"target.lgcp_data", {"lgcp"}},
      {"target.lgcp_grid", {"lgcp"}},
  };
  return users;
}

void reject_unused_keys(const config::Options& o, const std::string& name) {
  for (const auto& [key, users] : key_users())
    if (o.given(key) && std::find(users.begin(), users.end(), name) == users.end())
      throw InputError(key + " is not used by target.name = " + name);
}

// The dimension: the deck's target.dim if set (it must equal `fixed` when the target has one),
// else `def`.
int dimension(const config::Options& o, const std::string& name, int def, bool fixed) {
  const int d = o.get<int>("target.dim");
  if (d == 0) return def;
  if (fixed && d != def)
    throw InputError("target.dim = " + std::to_string(d) + ": target '" + name + "' is " + std::to_string(def) +
                     "-dimensional");
  return d;
}

std::unique_ptr<Target> mixture_from_deck(const config::Options& o) {
  const int dim = o.get<int>("target.dim");
  const bool lists = o.given("target.weights") || o.given("target.means") || o.given("target.sigmas") ||
                     o.given("target.covariances");
  if (o.given("target.file")) {
    if (lists) throw InputError("target.file: give the mixture either in a file or as weights/means lists, not both");
    return std::make_unique<GaussianMixture>(read_mixture_file(resolve_data_path(o.str("target.file"), "target.file"), dim));
  }
  const auto w = o.numbers("target.weights"), mu = o.numbers("target.means"), sig = o.numbers("target.sigmas"),
             cov = o.numbers("target.covariances");
  if (w.empty()) throw InputError("target.weights: target.name = gmm needs weights, means and sigmas (or target.file)");
  if (mu.empty()) throw InputError("target.means: target.name = gmm needs K*d means");
  const std::size_t K = w.size();
  if (dim == 0 && mu.size() % K != 0)
    throw InputError("target.means: " + std::to_string(mu.size()) + " values are not a multiple of the " +
                     std::to_string(K) + " components");
  const int d = dim > 0 ? dim : static_cast<int>(mu.size() / K);
  if (!cov.empty() && !sig.empty()) throw InputError("target.covariances: give either target.sigmas or target.covariances");
  if (!cov.empty()) return std::make_unique<GaussianMixture>("gmm", d, w, mu, std::vector<double>{}, cov);
  if (sig.empty()) throw InputError("target.sigmas: give standard deviations (1, K or K*d values) or target.covariances");
  return std::make_unique<GaussianMixture>(GaussianMixture::isotropic("gmm", d, w, mu, sig));
}
}  // namespace

const std::vector<std::string>& target_names() {
  static const std::vector<std::string> names = {
      "gmm",      "gmm40",           "af_ring", "shifted8",         "peaky8", "grid",     "gmm_d",
      "gmm40_50d", "asym_gmm",       "manywell", "expgauss",        "expgauss_unequal", "funnel",
      "truncated_normal", "rings",   "mustache", "phi4",            "logistic",
      "lgcp"};
  return names;
}

void add_target_options(config::po::options_description& d) {
  using namespace config;
  constexpr int big = 1 << 20;
  add_choice(d, "target.name", "gmm40", target_names(), "target density (targets.md)");
  add<int>(d, "target.dim", 0,
           "dimension; 0 = the target's own (gmm: from the means; gmm_d 10, gmm40_50d 50, asym_gmm 2, manywell 32, "
           "expgauss 50, funnel 10, truncated_normal 2, phi4 100 = N; fixed for the 2-D presets, logistic and lgcp = lgcp_grid^2)",
           0, big);
  add<std::uint64_t>(d, "target.seed", 0, "gmm_d/gmm40_50d: seed of the random means; logistic: seed of the train/test split",
                     0, std::numeric_limits<std::uint64_t>::max());
  add<int>(d, "target.instance", 0, "gmm_d/gmm40_50d: instance of the random means (0..4 in nJKO-IC)", 0, big);
  add<double>(d, "target.sigma", 0.0,
              "component standard deviation of the mixture presets; 0 = the preset's (gmm40 softplus(1) = 1.3132617, "
              "af_ring 1, shifted8 0.1, peaky8 sqrt(0.005), grid 0.5477, gmm_d 0.1, gmm40_50d 1, asym_gmm 1)",
              0.0, 1e6);
  add_list(d, "target.weights", "", "gmm: component weights, K values summing to 1 (comma separated)");
  add_list(d, "target.means", "", "gmm: component means, K*d values row by row");
  add_list(d, "target.sigmas", "", "gmm: standard deviations: 1 (shared), K (per component) or K*d (diagonal) values");
  add_list(d, "target.covariances", "", "gmm: full covariances, K*d*d values row by row (instead of target.sigmas)");
  add_string(d, "target.file", "",
             "gmm: mixture file instead of the lists: HDF5 with datasets weights, means and sigmas or covariances, or CSV "
             "with a header and rows 'weight, sigma, mu_0, ..., mu_{d-1}' (relative: current directory, then source tree)");
  add<int>(d, "target.components", 0, "grid: modes per side (0 = 3); gmm_d: number of components (0 = 10)", 0, big);
  add<double>(d, "target.spacing", 5.0, "grid: distance between neighbouring means", 1e-9, 1e6);
  add<int>(d, "target.ring_k", 8, "af_ring: number K of modes on the circle (AF: 6, 8, 10)", 1, big);
  add<double>(d, "target.ring_c", 10.0, "af_ring: circle radius c (AF: 8, 10, 12)", 0.0, 1e6);
  add<double>(d, "target.expgauss_c", 10.0, "expgauss: mode offset c", 0.0, 1e3);
  add<int>(d, "target.expgauss_m", 10, "expgauss: number m of bimodal coordinates (2^m modes; 10 for expgauss_unequal)", 1, big);
  add<double>(d, "target.funnel_sigma", 3.0, "funnel: standard deviation of x_0 (Neal: 3 with d = 10; AF: 0.9 with d = 5)",
              1e-6, 1e3);
  add<double>(d, "target.truncation_radius", 6.0, "truncated_normal: radius c of the excluded ball (needs c² > d − 2)", 1e-6,
              1e3);
  add<int>(d, "target.rings_k", 4, "rings: number K of rings", 1, big);
  add<double>(d, "target.rings_r", 1.0, "rings: ring spacing R (ring k has radius kR)", 1e-9, 1e6);
  add<double>(d, "target.rings_sigma", 0.15, "rings: radial standard deviation", 1e-9, 1e6);
  add<double>(d, "target.phi4_a", 0.1, "phi4: coupling a", 1e-12, 1e6);
  add<double>(d, "target.phi4_b", 0.0, "phi4: tilt b (0: symmetric, modes ½, ½)", -1e6, 1e6);
  add<double>(d, "target.phi4_beta", 20.0, "phi4: inverse temperature β (energy βU)", 1e-12, 1e12);
  add_string(d, "target.logistic_data", breast_cancer_file,
             "logistic: CSV table (header line, feature columns, 0/1 label last); relative: current directory, then "
             "source tree");
  add<double>(d, "target.logistic_test_fraction", 0.2, "logistic: fraction of rows held out for testing", 0.01, 0.9);
  add<double>(d, "target.logistic_a0", 1.0, "logistic: Gamma shape a0 of the prior precision e^θ", 1e-12, 1e12);
  add<double>(d, "target.logistic_b0", 0.01, "logistic: Gamma rate b0 of the prior precision e^θ", 1e-12, 1e12);
  add_bool(d, "target.logistic_af_prior", false,
           "logistic: the Annealing Flow code's −(D/2)θ prior term instead of −(D/2 + a0)θ");
  add_string(d, "target.lgcp_data", finpines_file,
             "lgcp: CSV of points (u, v) in the unit square (default: the Finnish pines); relative: current directory, "
             "then the data folders");
  add<int>(d, "target.lgcp_grid", 40, "lgcp: cells M per side of the grid (dimension M^2; the benchmark: 40)", 1, 64);
}

std::unique_ptr<Target> make_target(const config::Options& o) {
  const std::string name = o.str("target.name");
  reject_unused_keys(o, name);
  const double sigma = o.get<double>("target.sigma");
  const auto sigma_or = [&](double def) { return sigma > 0 ? sigma : def; };
  const int comps = o.get<int>("target.components");
  const auto seed = o.get<std::uint64_t>("target.seed");
  const auto instance = static_cast<std::uint32_t>(o.get<int>("target.instance"));
  const auto mixture = [](GaussianMixture&& m) { return std::make_unique<GaussianMixture>(std::move(m)); };

  if (name == "gmm") return mixture_from_deck(o);
  if (name == "gmm40") {
    dimension(o, name, 2, true);
    return mixture(presets::gmm40(resolve_data_path(gmm40_means_file, "target.name = gmm40"), sigma_or(presets::gmm40_default_sigma)));
  }
  if (name == "af_ring") {
    dimension(o, name, 2, true);
    return mixture(presets::af_ring(o.get<int>("target.ring_k"), o.get<double>("target.ring_c"), sigma_or(1.0)));
  }
  if (name == "shifted8" || name == "peaky8") {
    dimension(o, name, 2, true);
    return mixture(presets::shifted8(name, sigma_or(std::sqrt(name == "peaky8" ? 0.005 : 0.01))));
  }
  if (name == "grid") {
    dimension(o, name, 2, true);
    return mixture(presets::grid(comps > 0 ? comps : 3, o.get<double>("target.spacing"), sigma_or(std::sqrt(0.3))));
  }
  if (name == "gmm_d")
    return mixture(presets::gmm_d(dimension(o, name, 10, false), comps > 0 ? comps : 10, sigma_or(0.1), seed, instance));
  if (name == "gmm40_50d")
    return mixture(presets::gmm40_50d(dimension(o, name, 50, false), sigma_or(1.0), seed, instance));
  if (name == "asym_gmm") return mixture(presets::asymmetric(dimension(o, name, 2, false), 8.0, sigma_or(1.0)));
  if (name == "manywell") return std::make_unique<ManyWell>(dimension(o, name, 32, false));
  if (name == "expgauss" || name == "expgauss_unequal")
    return std::make_unique<ExpGauss>(dimension(o, name, 50, false), o.get<int>("target.expgauss_m"),
                                      o.get<double>("target.expgauss_c"), name == "expgauss_unequal");
  if (name == "funnel") return std::make_unique<Funnel>(dimension(o, name, 10, false), o.get<double>("target.funnel_sigma"));
  if (name == "truncated_normal")
    return std::make_unique<TruncatedNormal>(dimension(o, name, 2, false), o.get<double>("target.truncation_radius"));
  if (name == "rings") {
    dimension(o, name, 2, true);
    return std::make_unique<Rings>(o.get<int>("target.rings_k"), o.get<double>("target.rings_r"),
                                   o.get<double>("target.rings_sigma"));
  }
  if (name == "mustache") {
    dimension(o, name, 2, true);
    return std::make_unique<Mustache>();
  }
  if (name == "phi4")
    return std::make_unique<Phi4>(dimension(o, name, 100, false), o.get<double>("target.phi4_a"),
                                  o.get<double>("target.phi4_b"), o.get<double>("target.phi4_beta"));
  if (name == "logistic") {
    auto t = std::make_unique<LogisticRegression>(
        resolve_data_path(o.str("target.logistic_data"), "target.logistic_data"), seed,
        o.get<double>("target.logistic_test_fraction"), o.get<double>("target.logistic_a0"),
        o.get<double>("target.logistic_b0"), o.get<bool>("target.logistic_af_prior"));
    dimension(o, name, t->dim(), true);
    return t;
  }
  if (name == "lgcp") {
    const int M = o.get<int>("target.lgcp_grid");
    dimension(o, name, M * M, true);
    const std::string key = "target.lgcp_data";
    return std::make_unique<Lgcp>(read_points(resolve_data_path(o.str(key), key), key), M, key);
  }
  throw InputError("target.name = '" + name + "' is not implemented");
}

}  // namespace boltzflow
