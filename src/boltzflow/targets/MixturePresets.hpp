#pragma once
// The Gaussian-mixture benchmarks of targets.md §2 (and fab-jax's grid, §11), built from
// their parameters. Generated means come from the counter-based RNG: component k, coordinate
// j of (seed, instance) is uniform(id = k, step = 16*instance + tag, index = j) of
// Stream::target_params, tag 1 for gmm_d and 2 for gmm40_50d.
#include <cstdint>
#include <string>

#include "boltzflow/targets/GaussianMixture.hpp"

namespace boltzflow::presets {

// fab-torch's default scale softplus(1) of GMM-40.
constexpr double gmm40_default_sigma = 1.3132616875182228;

// GMM-40 (FAB): 40 equal N(μ_k, σ²I) in 2-D, means read from the shipped CSV "k,mu_x,mu_y".
GaussianMixture gmm40(const std::string& means_csv, double sigma = gmm40_default_sigma);
// Annealing Flow ring: K equal N(c(cos 2πj/K, sin 2πj/K), σ²I).
GaussianMixture af_ring(int K, double c, double sigma = 1.0);
// nJKO-IC: 8 equal N(μ_k, s²I) on the unit circle centred at (−1, 0); s² = 0.01 ("shifted8")
// or 0.005 ("peaky8").
GaussianMixture shifted8(const std::string& name, double sigma);
// side × side equal N(μ, σ²I) on a square grid centred at the origin (fab-jax gmm_v1: 3, 5, 0.5477).
GaussianMixture grid(int side, double spacing, double sigma);
// nJKO-IC GMM-d: K equal N(m_k, σ²I), m_k ~ U[−1, 1]^d (K = 10, σ² = 0.01).
GaussianMixture gmm_d(int d, int K, double sigma, std::uint64_t seed, std::uint32_t instance);
// nJKO-IC GMM40-50D: 40 equal N(m_k, σ²I), m_k ~ U[−40, 40]^d (d = 50, σ = 1).
GaussianMixture gmm40_50d(int d, double sigma, std::uint64_t seed, std::uint32_t instance);
// Fisher–Rao asymmetric pair: (1/3) N((4, 4, 0, ...), σ²I) + (2/3) N((−m, −m, 0, ...), σ²I), m = 8.
GaussianMixture asymmetric(int d, double m = 8.0, double sigma = 1.0);

}  // namespace boltzflow::presets
