#include "boltzflow/samplers/cnf/Push.hpp"

#include <algorithm>

#include "boltzflow/core/Error.hpp"

namespace boltzflow::cnf {

TrajectoryRecorder::TrajectoryRecorder(int rows, int frames, int d)
    : x("boltzflow::cnf::trajectories", rows, frames, d) {}

void TrajectoryRecorder::record(const Particles& particles, int f) {
  BOLTZFLOW_ASSERT(f < int(x.extent(1)), "cnf::TrajectoryRecorder: more frames than allocated");
  if (rows() == 0) return;
  BOLTZFLOW_ASSERT(rows() <= int(particles.extent(0)), "cnf::TrajectoryRecorder: fewer particles than rows");
  const auto head = Kokkos::subview(particles, Kokkos::make_pair(0, rows()), Kokkos::ALL());
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), head);
  for (int i = 0; i < rows(); ++i)
    for (std::size_t j = 0; j < x.extent(2); ++j) x(i, f, j) = h(i, j);
}

namespace {
// Integrates rows [a, b) of x from ta to tb in `steps` single steps (exact divergence into ell).
void integrate_chunk(const CnfBlock& block, const Particles& x, const Scalars& ell, std::int64_t a, std::int64_t b,
                     double ta, double tb, TrajectoryRecorder* rec) {
  const auto rows = Kokkos::make_pair(a, b);
  const Particles xc = Kokkos::subview(x, rows, Kokkos::ALL());
  const Scalars lc = Kokkos::subview(ell, rows);
  const int S = block.flow.steps;
  const double h = (tb - ta) / S;
  for (int s = 0; s < S; ++s) {
    ode::FlowSpec one = block.flow;
    one.steps = 1;
    one.t0 = ta + s * h;
    one.t1 = s + 1 == S ? tb : ta + (s + 1) * h;
    one.div = nn::DivMode::exact;
    one.kinetic = false;
    ode::Integrator<Real> integrator(one);
    integrator.integrate(*block.velocity, xc, lc, Scalars());
    if (rec) rec->record(xc, rec->frame + s);
  }
}
}  // namespace

void push(const CnfBlock& block, const Particles& x, const Scalars& log_q, TrajectoryRecorder* rec, int chunk) {
  const std::int64_t n = x.extent(0);
  BOLTZFLOW_ASSERT(!rec || rec->rows() <= std::min<std::int64_t>(n, chunk), "cnf::push: recorder rows exceed a chunk");
  Scalars ell("boltzflow::cnf::push_ell", n);
  if (rec && rec->frame == 0) rec->record(x, rec->frame++);
  for (std::int64_t a = 0; a < n; a += chunk)
    integrate_chunk(block, x, ell, a, std::min(n, a + chunk), block.flow.t0, block.flow.t1, a == 0 ? rec : nullptr);
  if (rec) rec->frame += block.flow.steps;  // also on ranks without particles: frame counts agree
  if (log_q.extent(0) > 0) {
    BOLTZFLOW_ASSERT(log_q.extent(0) == x.extent(0), "cnf::push: log_q and x differ in size");
    Kokkos::parallel_for(
        "boltzflow::cnf::push_log_q", Kokkos::RangePolicy<ExecSpace>(0, n),
        KOKKOS_LAMBDA(const int i) { log_q(i) -= ell(i); });
  }
}

void pull_back(const CnfBlock& block, const Particles& x, const Scalars& ell_back, int chunk) {
  const std::int64_t n = x.extent(0);
  BOLTZFLOW_ASSERT(ell_back.extent(0) == x.extent(0), "cnf::pull_back: ell_back and x differ in size");
  for (std::int64_t a = 0; a < n; a += chunk)
    integrate_chunk(block, x, ell_back, a, std::min(n, a + chunk), block.flow.t1, block.flow.t0, nullptr);
}

}  // namespace boltzflow::cnf
