#include "boltzflow/samplers/neural_jko/CnfTransport.hpp"

#include "boltzflow/core/Error.hpp"
#include "boltzflow/samplers/cnf/Push.hpp"

namespace boltzflow::neural_jko {

CnfTransport::CnfTransport(cnf::CnfBlock block, cnf::MemoryBudget budget) : block_(std::move(block)), budget_(budget) {
  BOLTZFLOW_ASSERT(bool(block_.velocity), "neural_jko::CnfTransport: empty block");
}

void CnfTransport::push(const Particles& x, const Scalars& e) {
  BOLTZFLOW_ASSERT(x.extent(0) == e.extent(0), "neural_jko::CnfTransport::push: x and e differ in size");
  const std::int64_t n = x.extent(0);
  Scalars minus_ell("boltzflow::neural_jko::minus_ell", n);  // cnf::push subtracts ℓ from it
  cnf::push(block_, x, minus_ell, budget_);
  Kokkos::parallel_for(
      "boltzflow::neural_jko::cnf_energy", Kokkos::RangePolicy<ExecSpace>(0, n),
      KOKKOS_LAMBDA(const int i) { e(i) -= minus_ell(i); });
  nfe_ += n * long(block_.flow.steps) * ode::tableau(block_.flow.scheme).stages;
}

void CnfTransport::pull(const Particles& x, const Scalars& ell) {
  BOLTZFLOW_ASSERT(x.extent(0) == ell.extent(0), "neural_jko::CnfTransport::pull: x and ell differ in size");
  const std::int64_t n = x.extent(0);
  Kokkos::deep_copy(ell, 0.0);
  cnf::pull_back(block_, x, ell, budget_);  // ell = ∫_{1}^{0} ∇·v dt = −ℓ
  Kokkos::parallel_for(
      "boltzflow::neural_jko::cnf_pull_ell", Kokkos::RangePolicy<ExecSpace>(0, n),
      KOKKOS_LAMBDA(const int i) { ell(i) = -ell(i); });
  nfe_ += n * long(block_.flow.steps) * ode::tableau(block_.flow.scheme).stages;
}

}  // namespace boltzflow::neural_jko
