#include "boltzflow/samplers/interpolant/LikelihoodTrainer.hpp"

namespace boltzflow::interpolant {

LikelihoodTrainer::LikelihoodTrainer(const Comm& comm, WhitenedCnf& cnf, const nn::AdamConfig& adam,
                                     MinibatchSpec batch, std::uint64_t seed)
    : FlowTrainer(comm, cnf.field(), adam, batch, seed), loss_(cnf) {}

double LikelihoodTrainer::sum_loss(const Particles& rows, std::int64_t global_rows, const OwnerMap& owner,
                                   std::uint32_t step, bool with_gradient) {
  const int d = field_.dim();
  std::vector<std::int64_t> picked;
  for (const auto& bin : plan_minibatch(batch_, global_rows, owner, seed_, step))
    picked.insert(picked.end(), bin.row.begin(), bin.row.end());
  const int n = static_cast<int>(picked.size());
  if (int(y_.extent(0)) < n) y_ = Particles("boltzflow::interpolant::ml_rows", n, d);
  Vector<std::int64_t, HostSpace> hr("row", n);
  for (int b = 0; b < n; ++b) hr(b) = picked[b];
  const auto rw = Kokkos::create_mirror_view_and_copy(MemSpace(), hr);
  const auto y = y_;
  const auto data = rows;
  Kokkos::parallel_for(
      "boltzflow::interpolant::ml_gather", Kokkos::RangePolicy<ExecSpace>(0, n), KOKKOS_LAMBDA(const int b) {
        for (int j = 0; j < d; ++j) y(b, j) = data(rw(b), j);
      });
  return comm_.sum(loss_.sum(y_, n, with_gradient ? grads_ : Vector<Real>()));
}

}  // namespace boltzflow::interpolant
