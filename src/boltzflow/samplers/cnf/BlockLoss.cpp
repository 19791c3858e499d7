#include "boltzflow/samplers/cnf/BlockLoss.hpp"

#include <algorithm>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Rng.hpp"

namespace boltzflow::cnf {

void fill_probes(const Probes& probes, const Vector<std::uint64_t>& ids, int count, ProbeKind kind,
                 std::uint64_t seed, int block, long iteration) {
  const int K = probes.extent(1), d = probes.extent(2);
  const Rng rng(seed, Stream::cnf_probes);
  const bool rad = kind == ProbeKind::rademacher;
  const std::uint64_t salt = std::uint64_t(block) << 40;  // global ids < 2^40
  const auto step = static_cast<std::uint32_t>(iteration);
  Kokkos::parallel_for(
      "boltzflow::cnf::probes", Kokkos::RangePolicy<ExecSpace>(0, count), KOKKOS_LAMBDA(const int i) {
        const std::uint64_t id = salt | ids(i);
        for (int k = 0; k < K; ++k)
          for (int j = 0; j < d; ++j) {
            const auto c = static_cast<std::uint32_t>(k * d + j);
            probes(i, k, j) = rad ? rng.rademacher(id, step, c) : rng.normal(id, step, c);
          }
      });
}

namespace {
double sum_rows(const Scalars& v, const char* label) {
  double s = 0;
  Kokkos::parallel_reduce(
      label, Kokkos::RangePolicy<ExecSpace>(0, v.extent(0)), KOKKOS_LAMBDA(const int i, double& a) { a += v(i); }, s);
  return s;
}
ode::FlowSpec loss_spec(const CnfBlock& block, const BlockObjective& obj) {
  ode::FlowSpec s = block.flow;
  s.div = obj.div;
  s.kinetic = true;
  return s;
}
}  // namespace

int loss_rows(const CnfBlock& block, const BlockObjective& obj, MemoryBudget budget, bool field_workspaces) {
  // Per row beyond the solve: x, ∇E (d each) and ℓ, ω, E and their cotangents (5).
  const std::size_t own = (2 * std::size_t(block.dim()) + 5) * sizeof(Real);
  return micro_batch_rows(
      solve_bytes_per_row(block, loss_spec(block, obj), obj.probes, true, own, field_workspaces), budget);
}

BlockLoss::BlockLoss(const CnfBlock& block, BlockObjective objective, MemoryBudget budget)
    : block_(block), obj_(std::move(objective)), integrator_(loss_spec(block, obj_)),
      micro_(loss_rows(block, obj_, budget)),
      micro_ws_(loss_rows(block, obj_, budget, true)) {
  BOLTZFLOW_ASSERT(obj_.div != nn::DivMode::none, "cnf::BlockLoss: the objective needs a divergence");
  BOLTZFLOW_ASSERT(bool(obj_.energy), "cnf::BlockLoss: no energy");
}

void BlockLoss::reserve(int n) {  // buffers only grow: batch shares vary per iteration
  if (n <= cap_) return;
  const int d = block_.dim();
  x_ = Particles("boltzflow::cnf::loss_x", n, d);
  gx_ = Particles("boltzflow::cnf::loss_gx", n, d);
  ell_ = Scalars("boltzflow::cnf::loss_ell", n);
  omega_ = Scalars("boltzflow::cnf::loss_omega", n);
  E_ = Scalars("boltzflow::cnf::loss_E", n);
  gell_ = Scalars("boltzflow::cnf::loss_gell", n);
  gomega_ = Scalars("boltzflow::cnf::loss_gomega", n);
  cap_ = n;
}

LossSums BlockLoss::evaluate(const Particles& x0, int count, const Probes& probes, const Vector<Real>& gparams) {
  LossSums sums;
  if (count == 0) return sums;  // this rank holds none of the batch: it still joins the allreduce
  reserve(std::min(count, micro_));
  integrator_.tape_field_workspaces(gparams.extent(0) > 0 && keeps_stage_workspaces(count));
  for (int a = 0; a < count; a += micro_) sums += solve(x0, a, std::min(micro_, count - a), probes, gparams);
  return sums;
}

LossSums BlockLoss::solve(const Particles& x0, int a, int m, const Probes& probes, const Vector<Real>& gparams) {
  const auto rows = Kokkos::make_pair(0, m);
  const auto src = Kokkos::make_pair(a, a + m);
  const Particles x = Kokkos::subview(x_, rows, Kokkos::ALL()), gx = Kokkos::subview(gx_, rows, Kokkos::ALL());
  const Scalars ell = Kokkos::subview(ell_, rows), omega = Kokkos::subview(omega_, rows), E = Kokkos::subview(E_, rows);
  Kokkos::deep_copy(x, Kokkos::subview(x0, src, Kokkos::ALL()));
  Kokkos::deep_copy(ell, 0.0);
  Kokkos::deep_copy(omega, 0.0);
  Probes pr;
  if (obj_.div == nn::DivMode::hutchinson) pr = Kokkos::subview(probes, src, Kokkos::ALL(), Kokkos::ALL());
  const bool grad = gparams.extent(0) > 0;
  if (grad)
    integrator_.forward(*block_.velocity, x, ell, omega, pr);
  else
    integrator_.integrate(*block_.velocity, x, ell, omega, pr);
  obj_.energy(x, E, gx);  // gx = ∇E(x(t1)) = ∂L/∂x(t1) per row

  LossSums sums;
  sums.energy = sum_rows(E, "boltzflow::cnf::loss_energy");
  sums.divergence = sum_rows(ell, "boltzflow::cnf::loss_div");
  sums.kinetic = sum_rows(omega, "boltzflow::cnf::loss_kinetic");
  if (grad) {
    const Scalars gell = Kokkos::subview(gell_, rows), gomega = Kokkos::subview(gomega_, rows);
    Kokkos::deep_copy(gell, -1.0);
    Kokkos::deep_copy(gomega, obj_.gamma);
    integrator_.backward(*block_.velocity, gx, gell, gomega, gparams);
  }
  return sums;
}

}  // namespace boltzflow::cnf
