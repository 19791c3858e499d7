#include "boltzflow/samplers/interpolant/LikelihoodLoss.hpp"

#include "boltzflow/core/Math.hpp"

namespace boltzflow::interpolant {

LikelihoodLoss::LikelihoodLoss(WhitenedCnf& cnf) : cnf_(cnf), integrator_(cnf.density_spec()) {}

double LikelihoodLoss::sum(const Particles& y, int count, const Vector<Real>& gparams) {
  if (count == 0) return 0.0;  // this rank holds none of the batch: it still joins the allreduce
  const int d = cnf_.dim();
  if (int(z_.extent(0)) < count) {  // buffers only grow: batch shares vary per step
    z_ = Particles("boltzflow::interpolant::ml_z", count, d);
    ell_ = Scalars("boltzflow::interpolant::ml_ell", count);
    gell_ = Scalars("boltzflow::interpolant::ml_gell", count);
  }
  const auto rows = Kokkos::make_pair(0, count);
  const Particles z(Kokkos::subview(z_, rows, Kokkos::ALL()));
  const Scalars ell(Kokkos::subview(ell_, rows));
  Kokkos::deep_copy(z, Kokkos::subview(y, rows, Kokkos::ALL()));
  Kokkos::deep_copy(ell, 0.0);
  const bool grad = gparams.extent(0) > 0;
  if (grad)
    integrator_.forward(cnf_.field(), z, ell, Scalars());
  else
    integrator_.integrate(cnf_.field(), z, ell, Scalars());
  double s = 0;
  Kokkos::parallel_reduce(
      "boltzflow::interpolant::ml_loss", Kokkos::RangePolicy<ExecSpace>(0, count),
      KOKKOS_LAMBDA(const int i, double& acc) {
        double sq = 0;
        for (int j = 0; j < d; ++j) sq += z(i, j) * z(i, j);
        acc += 0.5 * sq - ell(i);
      },
      s);
  if (grad) {
    const Scalars gell(Kokkos::subview(gell_, rows));
    Kokkos::deep_copy(gell, -1.0);
    integrator_.backward(cnf_.field(), z, gell, Scalars(), gparams);  // z is its own cotangent ∂L/∂z
  }
  return s + count * (0.5 * d * constants::log_2pi + cnf_.log_det_whitening());
}

}  // namespace boltzflow::interpolant
