#include "boltzflow/targets/Factory.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Math.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/targets/ExpGauss.hpp"
#include "boltzflow/targets/Funnel.hpp"
#include "boltzflow/targets/GaussianMixture.hpp"
#include "boltzflow/targets/LogisticRegression.hpp"
#include "boltzflow/targets/ManyWell.hpp"
#include "boltzflow/targets/Mustache.hpp"
#include "boltzflow/targets/Phi4.hpp"
#include "boltzflow/targets/Rings.hpp"
#include "boltzflow/targets/TruncatedNormal.hpp"

namespace boltzflow {

namespace {
const std::vector<std::string> names = {"gmm",      "gmm40",    "ring",       "shifted8",         "peaky8",
                                        "grid",     "gmm_random", "gmm40_50d", "asym_gmm",        "manywell",
                                        "expgauss", "expgauss_unequal", "funnel", "truncated_normal", "rings",
                                        "mustache", "phi4",     "logistic"};

std::string data_path(const std::string& p) {
  if (p.empty() || p[0] == '/' || std::ifstream(p).good()) return p;
  return std::string(BOLTZFLOW_SOURCE_DIR) + "/" + p;  // decks name shipped data relative to the source tree
}

// CSV with a header line; returns the numeric rows.
std::vector<std::vector<double>> read_csv(const std::string& key, const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(key + ": cannot read '" + path + "'");
  std::string line;
  std::getline(in, line);
  std::vector<std::vector<double>> rows;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    for (auto& c : line)
      if (c == ',') c = ' ';
    std::istringstream s(line);
    std::vector<double> r;
    double v;
    while (s >> v) r.push_back(v);
    rows.push_back(r);
  }
  return rows;
}

std::unique_ptr<Target> mixture_from_deck(const config::Options& o, int d) {
  auto w = o.numbers("target.weights"), mu = o.numbers("target.means"), sig = o.numbers("target.sigmas"),
       cov = o.numbers("target.covariances");
  const std::string file = o.str("target.file");
  if (!file.empty()) {  // CSV columns: weight, sigma, mu_0 .. mu_{d-1}
    w.clear(), mu.clear(), sig.clear();
    for (const auto& r : read_csv("target.file", data_path(file))) {
      if (int(r.size()) != d + 2)
        throw InputError("target.file: '" + file + "' rows need weight, sigma and " + std::to_string(d) + " mean values");
      w.push_back(r[0]);
      sig.push_back(r[1]);
      mu.insert(mu.end(), r.begin() + 2, r.end());
    }
  }
  if (w.empty()) throw InputError("target.weights: the gmm target needs weights, means and sigmas (or target.file)");
  if (!cov.empty())
    return std::make_unique<GaussianMixture>("gmm", d, w, mu, std::vector<double>{}, cov);
  return std::make_unique<GaussianMixture>(GaussianMixture::isotropic("gmm", d, w, mu, sig));
}

void require_dim(const config::Options& o, const std::string& name, int want) {
  if (o.given("target.dim") && o.get<int>("target.dim") != want)
    throw InputError("target.dim = " + std::to_string(o.get<int>("target.dim")) + ": target '" + name + "' is " +
                     std::to_string(want) + "-dimensional");
}
}  // namespace

void add_target_options(config::po::options_description& d) {
  using namespace config;
  add_choice(d, "target.name", "gmm", names, "target density");
  add<int>(d, "target.dim", 2, "dimension (presets have their own default when unset)", 1, 1 << 20);
  add_list(d, "target.weights", "", "gmm: component weights (comma separated, sum 1)");
  add_list(d, "target.means", "", "gmm: component means, K*d values row by row");
  add_list(d, "target.sigmas", "", "gmm: standard deviations: 1, K or K*d values");
  add_list(d, "target.covariances", "", "gmm: full covariances, K*d*d values (instead of sigmas)");
  add_string(d, "target.file", "", "gmm: CSV file with header and rows 'weight, sigma, mu_0, ..., mu_{d-1}'");
  add<double>(d, "target.sigma", 0.0, "component standard deviation of presets (0 = preset default)", 0.0, 1e6);
  add<int>(d, "target.components", 0, "ring/gmm_random: number of components; grid: per side; rings: rings (0 = default)", 0, 1 << 20);
  add<double>(d, "target.radius", 0.0, "ring: circle radius; truncated_normal: truncation radius; rings: spacing R (0 = default)", 0.0, 1e6);
  add<double>(d, "target.spacing", 4.0, "grid: distance between neighbouring means", 1e-6, 1e6);
  add<std::uint64_t>(d, "target.seed", 0, "seed of generated parameters (random means, data split)", 0,
                     std::numeric_limits<std::uint64_t>::max());
  add<int>(d, "target.instance", 0, "instance of generated parameters (gmm_random, gmm40_50d)", 0, 1 << 20);
  add<double>(d, "target.shift", 10.0, "expgauss: mode offset c", 0.0, 1e6);
  add<int>(d, "target.bimodal_dims", 10, "expgauss: number m of bimodal coordinates (2^m modes)", 1, 1 << 20);
  add<double>(d, "target.funnel_sigma", 3.0, "funnel: standard deviation of x_0 (Neal: 3, AF: 0.9)", 1e-6, 1e6);
  add<double>(d, "target.phi4_a", 0.1, "phi4: coupling a", 1e-12, 1e6);
  add<double>(d, "target.phi4_b", 0.0, "phi4: tilt b", -1e6, 1e6);
  add<double>(d, "target.beta", 20.0, "phi4: inverse temperature", 1e-12, 1e12);
  add_string(d, "target.data", "inputs/data/breast_cancer.csv", "logistic: CSV data (header line, features..., label)");
  add<double>(d, "target.test_fraction", 0.2, "logistic: fraction of rows held out for testing", 0.0, 0.9);
  add<double>(d, "target.prior_shape", 1.0, "logistic: Gamma shape a0 of the prior precision", 1e-12, 1e12);
  add<double>(d, "target.prior_rate", 0.01, "logistic: Gamma rate b0 of the prior precision", 1e-12, 1e12);
  add_bool(d, "target.af_convention", false, "logistic: the AF reference code's −(D/2)θ term instead of −(D/2 + a0)θ");
}

std::unique_ptr<Target> make_target(const config::Options& o) {
  const std::string name = o.str("target.name");
  const auto dim_or = [&](int def) { return o.given("target.dim") ? o.get<int>("target.dim") : def; };
  const double sigma = o.get<double>("target.sigma");
  const int comps = o.get<int>("target.components");
  const double radius = o.get<double>("target.radius");
  const auto sig_or = [&](double def) { return sigma > 0 ? sigma : def; };
  const auto equal = [](int K) { return std::vector<double>(K, 1.0 / K); };
  const Rng rng(o.get<std::uint64_t>("target.seed"), Stream::target_params);
  const auto instance = static_cast<std::uint32_t>(o.get<int>("target.instance"));
  // Means uniform in [lo, hi]^d from (seed, instance): component k draws id k, step instance.
  const auto random_means = [&](int K, int d, double lo, double hi) {
    std::vector<double> m;
    for (int k = 0; k < K; ++k)
      for (int j = 0; j < d; ++j) m.push_back(lo + (hi - lo) * rng.uniform(k, instance, j));
    return m;
  };

  if (name == "gmm") return mixture_from_deck(o, dim_or(2));
  if (name == "gmm40") {
    require_dim(o, name, 2);
    std::vector<double> mu;
    for (const auto& r : read_csv("target.name = gmm40", data_path("inputs/data/gmm40_means.csv")))
      mu.insert(mu.end(), r.begin() + 1, r.end());
    const double softplus1 = std::log1p(std::exp(1.0));  // fab-torch default scale
    return std::make_unique<GaussianMixture>(GaussianMixture::isotropic("gmm40", 2, equal(40), mu, {sig_or(softplus1)}));
  }
  if (name == "ring") {
    require_dim(o, name, 2);
    const int K = comps > 0 ? comps : 8;
    const double c = radius > 0 ? radius : 10.0;
    std::vector<double> mu;
    for (int j = 0; j < K; ++j) {
      mu.push_back(c * std::cos(2 * constants::pi * j / K));
      mu.push_back(c * std::sin(2 * constants::pi * j / K));
    }
    return std::make_unique<GaussianMixture>(GaussianMixture::isotropic("ring", 2, equal(K), mu, {sig_or(1.0)}));
  }
  if (name == "shifted8" || name == "peaky8") {
    require_dim(o, name, 2);
    std::vector<double> mu;
    for (int k = 0; k < 8; ++k) {
      mu.push_back(std::cos(2 * constants::pi * k / 8) - 1);
      mu.push_back(std::sin(2 * constants::pi * k / 8));
    }
    return std::make_unique<GaussianMixture>(
        GaussianMixture::isotropic(name, 2, equal(8), mu, {sig_or(std::sqrt(name == "peaky8" ? 0.005 : 0.01))}));
  }
  if (name == "grid") {
    require_dim(o, name, 2);
    const int n = comps > 0 ? comps : 3;
    const double h = o.get<double>("target.spacing");
    std::vector<double> mu;
    for (int a = 0; a < n; ++a)
      for (int b = 0; b < n; ++b) {
        mu.push_back((a - 0.5 * (n - 1)) * h);
        mu.push_back((b - 0.5 * (n - 1)) * h);
      }
    return std::make_unique<GaussianMixture>(GaussianMixture::isotropic("grid", 2, equal(n * n), mu, {sig_or(1.0)}));
  }
  if (name == "gmm_random") {
    const int d = dim_or(10), K = comps > 0 ? comps : 10;
    return std::make_unique<GaussianMixture>(
        GaussianMixture::isotropic("gmm_random", d, equal(K), random_means(K, d, -1, 1), {sig_or(0.1)}));
  }
  if (name == "gmm40_50d") {
    const int d = dim_or(50);
    return std::make_unique<GaussianMixture>(
        GaussianMixture::isotropic("gmm40_50d", d, equal(40), random_means(40, d, -40, 40), {sig_or(1.0)}));
  }
  if (name == "asym_gmm") {
    const int d = dim_or(2);
    if (d < 2) throw InputError("target.dim: asym_gmm needs d >= 2");
    std::vector<double> mu(2 * d, 0.0);
    mu[0] = mu[1] = 4;
    mu[d] = mu[d + 1] = -8;
    return std::make_unique<GaussianMixture>(
        GaussianMixture::isotropic("asym_gmm", d, {1.0 / 3, 2.0 / 3}, mu, {sig_or(1.0)}));
  }
  if (name == "manywell") return std::make_unique<ManyWell>(dim_or(32));
  if (name == "expgauss" || name == "expgauss_unequal")
    return std::make_unique<ExpGauss>(dim_or(50), o.get<int>("target.bimodal_dims"), o.get<double>("target.shift"),
                                      name == "expgauss_unequal");
  if (name == "funnel") return std::make_unique<Funnel>(dim_or(10), o.get<double>("target.funnel_sigma"));
  if (name == "truncated_normal") return std::make_unique<TruncatedNormal>(dim_or(2), radius > 0 ? radius : 6.0);
  if (name == "rings") {
    require_dim(o, name, 2);
    return std::make_unique<Rings>(comps > 0 ? comps : 4, radius > 0 ? radius : 1.0, sig_or(0.15));
  }
  if (name == "mustache") {
    require_dim(o, name, 2);
    return std::make_unique<Mustache>();
  }
  if (name == "phi4")
    return std::make_unique<Phi4>(dim_or(100), o.get<double>("target.phi4_a"), o.get<double>("target.phi4_b"),
                                  o.get<double>("target.beta"));
  if (name == "logistic") {
    auto t = std::make_unique<LogisticRegression>(data_path(o.str("target.data")), o.get<std::uint64_t>("target.seed"),
                                                  o.get<double>("target.test_fraction"), o.get<double>("target.prior_shape"),
                                                  o.get<double>("target.prior_rate"), o.get<bool>("target.af_convention"));
    require_dim(o, name, t->dim());
    return t;
  }
  throw InputError("target.name = '" + name + "' is not implemented");
}

}  // namespace boltzflow
