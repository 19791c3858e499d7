#include "boltzflow/samplers/interpolant/InterpolantTrainer.hpp"

#include "boltzflow/core/Rng.hpp"

namespace boltzflow::interpolant {

InterpolantTrainer::InterpolantTrainer(const Comm& comm, nn::VelocityMlp<Real>& field, const nn::AdamConfig& adam,
                                       InterpolantPath path, MinibatchSpec batch, std::uint64_t seed)
    : FlowTrainer(comm, field, adam, batch, seed), loss_(path) {}

double InterpolantTrainer::sum_loss(const Particles& rows, std::int64_t global_rows, const OwnerMap& owner,
                                     std::uint32_t step, bool with_gradient) {
  const int d = field_.dim();
  const auto bins = plan_minibatch(batch_, global_rows, owner, seed_, step);
  const Rng noise(seed_, Stream::interpolant_noise);
  double sum = 0;
  for (const auto& bin : bins) {
    const int n = static_cast<int>(bin.row.size());
    if (n == 0) continue;
    if (int(x1_.extent(0)) < n) {
      x0_ = Particles("boltzflow::interpolant::x0", n, d);
      x1_ = Particles("boltzflow::interpolant::x1", n, d);
      z_ = Particles("boltzflow::interpolant::z", n, d);
    }
    Vector<std::int64_t, HostSpace> he("element", n), hr("row", n);
    for (int b = 0; b < n; ++b) {
      he(b) = bin.element[b];
      hr(b) = bin.row[b];
    }
    auto el = Kokkos::create_mirror_view_and_copy(MemSpace(), he);
    auto rw = Kokkos::create_mirror_view_and_copy(MemSpace(), hr);
    const auto sub = Kokkos::make_pair(0, n);
    const Particles x0(Kokkos::subview(x0_, sub, Kokkos::ALL())), x1(Kokkos::subview(x1_, sub, Kokkos::ALL())),
        z(Kokkos::subview(z_, sub, Kokkos::ALL()));
    const auto data = rows;
    Kokkos::parallel_for(
        "boltzflow::interpolant::gather", Kokkos::RangePolicy<ExecSpace>(0, n), KOKKOS_LAMBDA(const int b) {
          const auto id = static_cast<std::uint64_t>(el(b));
          for (int j = 0; j < d; ++j) {
            x1(b, j) = data(rw(b), j);
            x0(b, j) = noise.normal(id, step, j);
            z(b, j) = noise.normal(id, step, d + j);
          }
        });
    sum += with_gradient ? loss_.accumulate(field_, bin.t, x0, x1, z, grads_) : loss_.value(field_, bin.t, x0, x1, z);
  }
  return comm_.sum(sum);
}

}  // namespace boltzflow::interpolant
