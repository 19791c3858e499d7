#include "boltzflow/samplers/cnf/Push.hpp"

#include <algorithm>

#include "boltzflow/core/Error.hpp"

namespace boltzflow::cnf {

namespace {
// Integrates x from ta to tb in the block's steps, one step at a time over all chunks of
// `chunk` rows (exact divergence into ell); rec, if any, records x after every step.
void integrate(const CnfBlock& block, const Particles& x, const Scalars& ell, double ta, double tb, int chunk,
               TrajectoryRecorder* rec) {
  const std::int64_t n = x.extent(0);
  const int S = block.flow.steps;
  const double h = (tb - ta) / S;
  for (int s = 0; s < S; ++s) {
    ode::FlowSpec one = block.flow;
    one.steps = 1;
    one.t0 = ta + s * h;
    one.t1 = s + 1 == S ? tb : ta + (s + 1) * h;
    one.div = nn::DivMode::exact;
    one.kinetic = false;
    ode::Integrator<Real> integrator(one);  // its stage buffers serve every chunk of the step
    for (std::int64_t a = 0; a < n; a += chunk) {
      const auto rows = Kokkos::make_pair(a, std::min(n, a + chunk));
      integrator.integrate(*block.velocity, Kokkos::subview(x, rows, Kokkos::ALL()), Kokkos::subview(ell, rows),
                           Scalars());
    }
    if (rec) rec->record(x);
  }
}
}  // namespace

void push(const CnfBlock& block, const Particles& x, const Scalars& log_q, TrajectoryRecorder* rec, int chunk) {
  const std::int64_t n = x.extent(0);
  Scalars ell("boltzflow::cnf::push_ell", n);
  if (rec && rec->frame() == 0) rec->record(x);
  integrate(block, x, ell, block.flow.t0, block.flow.t1, chunk, rec);
  if (log_q.extent(0) > 0) {
    BOLTZFLOW_ASSERT(log_q.extent(0) == x.extent(0), "cnf::push: log_q and x differ in size");
    Kokkos::parallel_for(
        "boltzflow::cnf::push_log_q", Kokkos::RangePolicy<ExecSpace>(0, n),
        KOKKOS_LAMBDA(const int i) { log_q(i) -= ell(i); });
  }
}

void pull_back(const CnfBlock& block, const Particles& x, const Scalars& ell_back, int chunk) {
  BOLTZFLOW_ASSERT(ell_back.extent(0) == x.extent(0), "cnf::pull_back: ell_back and x differ in size");
  integrate(block, x, ell_back, block.flow.t1, block.flow.t0, chunk, nullptr);
}

}  // namespace boltzflow::cnf
