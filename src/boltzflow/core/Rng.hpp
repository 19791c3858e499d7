#pragma once
// Counter-based random numbers (Random123 Philox4x32-10). A draw is a pure function of
// (seed, stream, global id, step, index): results do not depend on thread or rank layout
// and a checkpoint needs only the step counters.
#include <cstdint>

#if defined(__CUDACC__) && !defined(R123_CUDA_DEVICE)
#define R123_CUDA_DEVICE __host__ __device__  // usable from host and device Kokkos lambdas
#endif
#include <Random123/philox.h>

#include "boltzflow/core/Math.hpp"

namespace boltzflow {

// One stream per purpose, so adding draws in one place never shifts another.
enum class Stream : std::uint32_t {
  init_particles = 1,
  exact_samples = 2,
  mcmc_proposal = 3,
  mcmc_accept = 4,
  minibatch = 5,
  hutchinson = 6,
  resampling = 7,
  metrics = 8,
  network_init = 9,
  target_params = 10,
  rejection = 11,
  flow_base = 12,
  // 40-49: CNF block trainer (samplers/cnf) and Annealing Flow (samplers/annealing_flow)
  cnf_minibatch = 40,
  cnf_probes = 41,
  af_pool = 42,
  af_samples = 43,
  af_langevin = 44,
  af_resample = 45,
};

struct Rng {
  std::uint64_t seed = 0;
  std::uint32_t stream = 0;

  Rng() = default;
  KOKKOS_INLINE_FUNCTION Rng(std::uint64_t s, Stream st) : seed(s), stream(static_cast<std::uint32_t>(st)) {}

  // Four 32-bit words for block `block` of (id, step).
  KOKKOS_INLINE_FUNCTION r123::Philox4x32::ctr_type words(std::uint64_t id, std::uint32_t step,
                                                          std::uint32_t block) const {
    r123::Philox4x32 gen;
    r123::Philox4x32::ctr_type c = {{static_cast<std::uint32_t>(id), static_cast<std::uint32_t>(id >> 32), step, block}};
    r123::Philox4x32::key_type k = {{static_cast<std::uint32_t>(seed) ^ static_cast<std::uint32_t>(seed >> 32) * 0x9E3779B9u,
                                     stream ^ static_cast<std::uint32_t>(seed >> 32)}};
    return gen(c, k);
  }

  // k-th uniform in the open interval (0, 1), 53 random bits.
  KOKKOS_INLINE_FUNCTION double uniform(std::uint64_t id, std::uint32_t step, std::uint32_t k) const {
    const auto w = words(id, step, k >> 1);
    const int o = 2 * (k & 1u);
    const std::uint64_t bits = (static_cast<std::uint64_t>(w[o]) << 32) | w[o + 1];
    return (static_cast<double>(bits >> 11) + 0.5) * (1.0 / 9007199254740992.0);
  }

  // k-th standard normal (Box-Muller on a pair of uniforms; both halves are used).
  KOKKOS_INLINE_FUNCTION double normal(std::uint64_t id, std::uint32_t step, std::uint32_t k) const {
    const std::uint32_t pair = k >> 1;
    const double u1 = uniform(id, step, 2 * pair), u2 = uniform(id, step, 2 * pair + 1);
    const double r = kmath::sqrt(-2.0 * kmath::log(u1));
    const double a = 2.0 * constants::pi * u2;
    return (k & 1u) ? r * kmath::sin(a) : r * kmath::cos(a);
  }

  // k-th Rademacher variable (+1 / -1).
  KOKKOS_INLINE_FUNCTION double rademacher(std::uint64_t id, std::uint32_t step, std::uint32_t k) const {
    const auto w = words(id, step, 0x80000000u | (k >> 2));
    return (w[k & 3u] & 1u) ? 1.0 : -1.0;
  }
};

}  // namespace boltzflow
