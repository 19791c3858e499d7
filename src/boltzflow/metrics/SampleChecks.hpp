#pragma once
// Checks shared by the sample-based metrics: global sizes, one dimension on every rank,
// finite coordinates. Every check is decided identically on all ranks (global reductions).
#include <cstdint>
#include <string>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Types.hpp"

namespace boltzflow::metrics {

// Global number of rows of a distributed sample.
std::int64_t global_rows(const Comm& comm, const Particles& x);

// The common dimension of x and y on every rank (ranks with 0 rows do not vote);
// InputError naming `what` when the ranks or the two sets disagree or no rank has data.
int common_dim(const Comm& comm, const Particles& x, const Particles& y, const std::string& what);
int common_dim(const Comm& comm, const Particles& x, const std::string& what);

// Global number of chains and their common length (steps) for an (n_steps × n_local_chains)
// host array; ranks without chains do not vote. InputError when ranks disagree, no rank has a
// chain, or the chains are shorter than min_steps.
struct ChainShape {
  std::int64_t steps = 0, chains = 0;
};
ChainShape chain_shape(const Comm& comm, const Matrix<Real, HostSpace>& chains, std::int64_t min_steps,
                       const std::string& what);

// NumericalError naming `what` when any rank holds a NaN or infinite coordinate
// (sorting and medians are meaningless on them).
void require_finite(const Comm& comm, const Particles& x, const std::string& what);
// The same for per-sample values (energies, log-densities).
void require_finite(const Comm& comm, const Scalars& v, const std::string& what);
// Energies U = −log ρ̃ of samples: NumericalError naming `what` for NaN or −∞. +∞ is allowed: a
// sample where the target has zero density (inside a hard truncation) has importance weight 0.
void require_energies(const Comm& comm, const Scalars& U, const std::string& what);

}  // namespace boltzflow::metrics
