#include "boltzflow/samplers/cnf/CnfModel.hpp"

namespace boltzflow::cnf {

void CnfModel::sample(std::uint64_t seed, Stream stream, std::uint64_t first_id, const Particles& x,
                      const Scalars& log_q, TrajectoryRecorder* rec) const {
  base.sample(seed, stream, 0, first_id, x);
  base.log_density(x, log_q);
  for (const auto& b : blocks) push(b, x, log_q, budget, rec);
}

void CnfModel::log_density(const Particles& x, const Scalars& log_q, const Particles& z) const {
  Particles y = z.extent(0) == x.extent(0) && z.extent(0) > 0 ? z : Particles("boltzflow::cnf::pull_z", x.extent(0), x.extent(1));
  Kokkos::deep_copy(y, x);
  Scalars ell_back("boltzflow::cnf::pull_ell", x.extent(0));
  for (auto b = blocks.rbegin(); b != blocks.rend(); ++b) pull_back(*b, y, ell_back, budget);
  base.log_density(y, log_q);
  Kokkos::parallel_for(
      "boltzflow::cnf::pull_log_q", Kokkos::RangePolicy<ExecSpace>(0, x.extent(0)),
      KOKKOS_LAMBDA(const int i) { log_q(i) += ell_back(i); });
}

int CnfModel::frames() const {
  int f = 1;
  for (const auto& b : blocks) f += b.flow.steps;
  return f;
}

}  // namespace boltzflow::cnf
