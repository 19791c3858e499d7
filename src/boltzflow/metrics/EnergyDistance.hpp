#pragma once
// Energy distance (metrics.md §4.1), ½-convention V-statistic:
//   ED(X, Y) = (1/NM)Σ‖x_i − y_j‖ − (1/2N²)Σ‖x_i − x_i'‖ − (1/2M²)Σ‖y_j − y_j'‖
// (= geomloss SamplesLoss("energy")). Samples are distributed: each rank passes its rows
// (possibly none); every function returns the same global value on every rank.
#include <cstdint>
#include <vector>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Types.hpp"

namespace boltzflow::metrics {

// Exact O(NM) value (MPI-blocked pair sums; for validation up to N, M ~ 2·10⁴).
double energy_distance(const Comm& comm, const Particles& x, const Particles& y);

// Sliced estimate c_d · mean_l ED_1(ξ_l·X, ξ_l·Y) over `directions` seeded directions
// (SlicedProjections.hpp: directions, memory bound). Exact for d = 1; unbiased for d > 1.
double energy_distance_sliced(const Comm& comm, const Particles& x, const Particles& y, int directions,
                              std::uint64_t seed);

// c_d = √π Γ((d+1)/2) / Γ(d/2), so that E_ξ|⟨ξ, z⟩| = ‖z‖ / c_d for ξ uniform on S^{d−1}.
double slicing_constant(int d);

// Exact 1-D energy distance ∫(F_a − F_b)² dt of two sorted samples (merged-sort walk, O(N + M)).
double energy_distance_1d(const std::vector<double>& a_sorted, const std::vector<double>& b_sorted);

}  // namespace boltzflow::metrics
