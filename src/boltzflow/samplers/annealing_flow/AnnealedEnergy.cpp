#include "boltzflow/samplers/annealing_flow/AnnealedEnergy.hpp"

#include "boltzflow/core/Math.hpp"

namespace boltzflow::annealing_flow {

cnf::EnergyFn geometric_energy(const Target& target, double beta) {
  // U buffer shared by the calls of one block; grown on demand.
  auto U = std::make_shared<Scalars>();
  const Target* t = &target;
  return [t, beta, U](const Particles& x, const Scalars& E, const Particles& g) {
    const int n = x.extent(0), d = x.extent(1);
    if (int(U->extent(0)) < n) *U = Scalars("boltzflow::annealing_flow::U", n);
    const Scalars u = Kokkos::subview(*U, Kokkos::make_pair(0, n));
    t->gradient(x, u, g);
    const double b = beta;
    Kokkos::parallel_for(
        "boltzflow::annealing_flow::geometric_energy", Kokkos::RangePolicy<ExecSpace>(0, n), KOKKOS_LAMBDA(const int i) {
          double r2 = 0;
          for (int j = 0; j < d; ++j) {
            r2 += x(i, j) * x(i, j);
            g(i, j) = b * g(i, j) + (1 - b) * x(i, j);
          }
          E(i) = b * u(i) + 0.5 * (1 - b) * r2;
        });
  };
}

cnf::EnergyFn truncation_energy(double c, double p) {
  return [c, p](const Particles& x, const Scalars& E, const Particles& g) {
    const int n = x.extent(0), d = x.extent(1);
    Kokkos::parallel_for(
        "boltzflow::annealing_flow::truncation_energy", Kokkos::RangePolicy<ExecSpace>(0, n),
        KOKKOS_LAMBDA(const int i) {
          double r2 = 0;
          for (int j = 0; j < d; ++j) r2 += x(i, j) * x(i, j);
          const double r = kmath::sqrt(r2);
          // g(r) = softplus(−p(r − c)), g'(r) = −p·sigmoid(−p(r − c)); ∇E = (g'(r)/r + 1) x.
          const double gp = -p * sigmoid(-p * (r - c));
          const double f = 1.0 + gp / (r > 1e-12 ? r : 1e-12);
          for (int j = 0; j < d; ++j) g(i, j) = f * x(i, j);
          E(i) = softplus(-p * (r - c)) + 0.5 * r2;
        });
  };
}

void evaluate_energy(const cnf::EnergyFn& energy, const Particles& x, const Scalars& E) {
  Particles g("boltzflow::annealing_flow::energy_grad", x.extent(0), x.extent(1));
  energy(x, E, g);
}

}  // namespace boltzflow::annealing_flow
