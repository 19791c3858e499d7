#include "boltzflow/targets/MixturePresets.hpp"

#include <cmath>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Math.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/targets/Csv.hpp"

namespace boltzflow::presets {

namespace {
std::vector<double> equal(int K) { return std::vector<double>(K, 1.0 / K); }

// K means uniform in [lo, hi]^d (see the header for the draw layout).
std::vector<double> uniform_means(int K, int d, double lo, double hi, std::uint64_t seed, std::uint32_t instance,
                                  std::uint32_t tag) {
  const Rng rng(seed, Stream::target_params);
  std::vector<double> m;
  m.reserve(std::size_t(K) * d);
  for (int k = 0; k < K; ++k)
    for (int j = 0; j < d; ++j) m.push_back(lo + (hi - lo) * rng.uniform(k, 16u * instance + tag, j));
  return m;
}
}  // namespace

GaussianMixture gmm40(const std::string& means_csv, double sigma) {
  const auto t = read_csv(means_csv, "target.name = gmm40 (means file)");
  if (t.rows.size() != 40 || t.rows[0].size() != 3)
    throw InputError("target.name = gmm40: '" + means_csv + "' must hold 40 rows 'k,mu_x,mu_y'");
  std::vector<double> mu;
  for (const auto& r : t.rows) mu.insert(mu.end(), r.begin() + 1, r.end());
  return GaussianMixture::isotropic("gmm40", 2, equal(40), mu, {sigma});
}

GaussianMixture af_ring(int K, double c, double sigma) {
  if (K < 1) throw InputError("target.ring_k must be >= 1");
  std::vector<double> mu;
  for (int j = 0; j < K; ++j) {
    mu.push_back(c * std::cos(2 * constants::pi * j / K));
    mu.push_back(c * std::sin(2 * constants::pi * j / K));
  }
  return GaussianMixture::isotropic("af_ring", 2, equal(K), mu, {sigma});
}

GaussianMixture shifted8(const std::string& name, double sigma) {
  std::vector<double> mu;
  for (int k = 0; k < 8; ++k) {
    mu.push_back(std::cos(2 * constants::pi * k / 8) - 1);
    mu.push_back(std::sin(2 * constants::pi * k / 8));
  }
  return GaussianMixture::isotropic(name, 2, equal(8), mu, {sigma});
}

GaussianMixture grid(int side, double spacing, double sigma) {
  if (side < 1) throw InputError("target.components must be >= 1 for grid");
  std::vector<double> mu;
  for (int a = 0; a < side; ++a)
    for (int b = 0; b < side; ++b) {
      mu.push_back((a - 0.5 * (side - 1)) * spacing);
      mu.push_back((b - 0.5 * (side - 1)) * spacing);
    }
  return GaussianMixture::isotropic("grid", 2, equal(side * side), mu, {sigma});
}

GaussianMixture gmm_d(int d, int K, double sigma, std::uint64_t seed, std::uint32_t instance) {
  if (K < 1) throw InputError("target.components must be >= 1 for gmm_d");
  return GaussianMixture::isotropic("gmm_d", d, equal(K), uniform_means(K, d, -1, 1, seed, instance, 1), {sigma});
}

GaussianMixture gmm40_50d(int d, double sigma, std::uint64_t seed, std::uint32_t instance) {
  return GaussianMixture::isotropic("gmm40_50d", d, equal(40), uniform_means(40, d, -40, 40, seed, instance, 2), {sigma});
}

GaussianMixture asymmetric(int d, double m, double sigma) {
  if (d < 2) throw InputError("target.dim = " + std::to_string(d) + ": asym_gmm needs d >= 2");
  std::vector<double> mu(2 * d, 0.0);
  mu[0] = mu[1] = 4;
  mu[d] = mu[d + 1] = -m;
  return GaussianMixture::isotropic("asym_gmm", d, {1.0 / 3, 2.0 / 3}, mu, {sigma});
}

}  // namespace boltzflow::presets
