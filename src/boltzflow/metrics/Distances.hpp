#pragma once
// Sample discrepancies between model samples X and reference samples Y, both distributed
// over ranks (any rank may hold zero rows). Every function returns the same global value on
// every rank. The sets are gathered on every rank (memory N·d doubles per set: 20 MB at
// N = 50,000, d = 50) and the work — rows or directions — is split over ranks, then summed.
#include <cstdint>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Types.hpp"

namespace boltzflow::metrics {

// ED = E|X−Y| − ½E|X−X'| − ½E|Y−Y'| (V-statistic, diagonals included): O(NM) pairwise.
double energy_distance(const Comm& comm, const Particles& x, const Particles& y);
// Sliced ED: c_d · mean over L seeded unit directions of the exact 1-D ED of the projections,
// c_d = √π Γ((d+1)/2)/Γ(d/2).
double energy_distance_sliced(const Comm& comm, const Particles& x, const Particles& y, int directions,
                              std::uint64_t seed);
double sliced_ed_factor(int d);
// Gaussian-kernel MMD, bandwidth = median pairwise distance of the pooled (sub)sample, unbiased
// MMD²_u on seeded subsamples of at most max_points per set; returns √max(MMD²_u, 1e-20).
double mmd(const Comm& comm, const Particles& x, const Particles& y, std::int64_t max_points, std::uint64_t seed);
// Sliced Wasserstein-2: √(mean over L directions of W2² of the 1-D projections).
double sliced_w2(const Comm& comm, const Particles& x, const Particles& y, int directions, std::uint64_t seed);

}  // namespace boltzflow::metrics
