#include "boltzflow/samplers/cnf/Push.hpp"

#include <algorithm>

#include "boltzflow/core/Error.hpp"

namespace boltzflow::cnf {

namespace {
ode::FlowSpec one_step(const CnfBlock& block) {
  ode::FlowSpec one = block.flow;
  one.steps = 1;
  one.div = nn::DivMode::exact;
  one.kinetic = false;
  return one;
}

// Integrates x from ta to tb in the block's steps, one step at a time over all micro-batches of
// `chunk` rows (exact divergence into ell); rec, if any, records x after every step.
void integrate(const CnfBlock& block, const Particles& x, const Scalars& ell, double ta, double tb, int chunk,
               TrajectoryRecorder* rec) {
  const std::int64_t n = x.extent(0);
  const int S = block.flow.steps;
  const double h = (tb - ta) / S;
  for (int s = 0; s < S; ++s) {
    ode::FlowSpec one = one_step(block);
    one.t0 = ta + s * h;
    one.t1 = s + 1 == S ? tb : ta + (s + 1) * h;
    ode::Integrator<Real> integrator(one);  // its stage buffers serve every micro-batch of the step
    for (std::int64_t a = 0; a < n; a += chunk) {
      const auto rows = Kokkos::make_pair(a, std::min(n, a + chunk));
      integrator.integrate(*block.velocity, Kokkos::subview(x, rows, Kokkos::ALL()), Kokkos::subview(ell, rows),
                           Scalars());
    }
    if (rec) rec->record(x);
  }
  block.velocity->release_workspace();  // a model's blocks run one after another: hold one workspace
}
}  // namespace

int push_rows(const CnfBlock& block, MemoryBudget budget) {
  // Per row beyond the solve: the push's ℓ accumulator.
  return micro_batch_rows(solve_bytes_per_row(block, one_step(block), 0, false, sizeof(Real)), budget);
}

void push(const CnfBlock& block, const Particles& x, const Scalars& log_q, MemoryBudget budget,
          TrajectoryRecorder* rec) {
  const std::int64_t n = x.extent(0);
  Scalars ell("boltzflow::cnf::push_ell", n);
  if (rec && rec->frame() == 0) rec->record(x);
  integrate(block, x, ell, block.flow.t0, block.flow.t1, push_rows(block, budget), rec);
  if (log_q.extent(0) > 0) {
    BOLTZFLOW_ASSERT(log_q.extent(0) == x.extent(0), "cnf::push: log_q and x differ in size");
    Kokkos::parallel_for(
        "boltzflow::cnf::push_log_q", Kokkos::RangePolicy<ExecSpace>(0, n),
        KOKKOS_LAMBDA(const int i) { log_q(i) -= ell(i); });
  }
}

void pull_back(const CnfBlock& block, const Particles& x, const Scalars& ell_back, MemoryBudget budget) {
  BOLTZFLOW_ASSERT(ell_back.extent(0) == x.extent(0), "cnf::pull_back: ell_back and x differ in size");
  integrate(block, x, ell_back, block.flow.t1, block.flow.t0, push_rows(block, budget), nullptr);
}

}  // namespace boltzflow::cnf
