#include "boltzflow/samplers/fisher_rao/TargetJets.hpp"

namespace boltzflow::fisher_rao {

void TargetJets::evaluate(const Target& target, const Particles& x, bool laplacian) {
  const std::size_t n = x.extent(0);
  const int d = x.extent(1);
  if (U.extent(0) != n) U = Scalars("boltzflow::fisher_rao::U", n);
  if (grad.extent(0) != n || int(grad.extent(1)) != d) grad = Particles("boltzflow::fisher_rao::gradU", n, d);
  target.gradient(x, U, grad);
  if (laplacian) {
    if (lap.extent(0) != n) lap = Scalars("boltzflow::fisher_rao::lapU", n);
    target.laplacian(x, lap);
  } else {
    lap = Scalars();
  }
}

TargetJets TargetJets::rows(std::size_t a, std::size_t b) const {
  TargetJets r;
  const auto p = std::make_pair(a, b);
  r.U = Kokkos::subview(U, p);
  r.grad = Kokkos::subview(grad, p, Kokkos::ALL());
  if (lap.extent(0) > 0) r.lap = Kokkos::subview(lap, p);
  return r;
}

}  // namespace boltzflow::fisher_rao
