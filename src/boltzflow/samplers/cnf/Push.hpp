#pragma once
// Moving particles through a CNF block with the EXACT divergence, forward (sampling: x and its
// log-density) or backward (density evaluation at arbitrary points, methods.md §0). Particles
// are processed in chunks so that the jet buffers stay small for any N and d.
#include "boltzflow/samplers/cnf/CnfBlock.hpp"

namespace boltzflow::cnf {

// Positions of the first `rows` local particles at the start and after every step of the
// blocks they are pushed through: frame 0 = start, then one frame per step.
struct TrajectoryRecorder {
  Kokkos::View<double***, Kokkos::LayoutRight, HostSpace> x;  // (rows, frames, d)
  int frame = 0;                                              // frames written so far
  TrajectoryRecorder() = default;
  TrajectoryRecorder(int rows, int frames, int d);
  int rows() const { return x.extent(0); }
  void record(const Particles& particles, int f);  // rows 0..rows-1 of particles into frame f
};

constexpr int default_chunk = 4096;

// x ← T(x) through the block's steps, log_q ← log_q − ∫∇·v dt (log_q may be empty: not tracked).
// The steps are taken one at a time, so the result does not depend on whether `rec` records.
void push(const CnfBlock& block, const Particles& x, const Scalars& log_q, TrajectoryRecorder* rec = nullptr,
          int chunk = default_chunk);

// x ← T⁻¹(x) by integrating the block from t1 back to t0 with the same scheme and steps;
// ell_back += ∫_{t1}^{t0} ∇·v dt (≈ −ℓ of the forward push, to O(h⁴)).
void pull_back(const CnfBlock& block, const Particles& x, const Scalars& ell_back, int chunk = default_chunk);

}  // namespace boltzflow::cnf
