#include "boltzflow/samplers/cnf/BlockLoss.hpp"

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

BlockLoss::BlockLoss(const CnfBlock& block, BlockObjective objective)
    : block_(block), obj_(std::move(objective)), integrator_([&] {
        ode::FlowSpec s = block.flow;
        s.div = obj_.div;
        s.kinetic = true;
        return s;
      }()) {
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
  reserve(count);
  const auto rows = Kokkos::make_pair(0, count);
  const Particles x = Kokkos::subview(x_, rows, Kokkos::ALL()), gx = Kokkos::subview(gx_, rows, Kokkos::ALL());
  const Scalars ell = Kokkos::subview(ell_, rows), omega = Kokkos::subview(omega_, rows), E = Kokkos::subview(E_, rows);
  Kokkos::deep_copy(x, Kokkos::subview(x0, rows, Kokkos::ALL()));
  Kokkos::deep_copy(ell, 0.0);
  Kokkos::deep_copy(omega, 0.0);
  Probes pr;
  if (obj_.div == nn::DivMode::hutchinson) pr = Kokkos::subview(probes, rows, Kokkos::ALL(), Kokkos::ALL());
  const bool grad = gparams.extent(0) > 0;
  if (grad)
    integrator_.forward(*block_.velocity, x, ell, omega, pr);
  else
    integrator_.integrate(*block_.velocity, x, ell, omega, pr);
  obj_.energy(x, E, gx);  // gx = ∇E(x(t1)) = ∂L/∂x(t1) per row

  const auto policy = Kokkos::RangePolicy<ExecSpace>(0, count);
  Kokkos::parallel_reduce("boltzflow::cnf::loss_energy", policy, KOKKOS_LAMBDA(const int i, double& a) { a += E(i); },
                          sums.energy);
  Kokkos::parallel_reduce("boltzflow::cnf::loss_div", policy, KOKKOS_LAMBDA(const int i, double& a) { a += ell(i); },
                          sums.divergence);
  Kokkos::parallel_reduce("boltzflow::cnf::loss_kinetic", policy,
                          KOKKOS_LAMBDA(const int i, double& a) { a += omega(i); }, sums.kinetic);
  if (grad) {
    const Scalars gell = Kokkos::subview(gell_, rows), gomega = Kokkos::subview(gomega_, rows);
    Kokkos::deep_copy(gell, -1.0);
    Kokkos::deep_copy(gomega, obj_.gamma);
    integrator_.backward(*block_.velocity, gx, gell, gomega, gparams);
  }
  return sums;
}

}  // namespace boltzflow::cnf
