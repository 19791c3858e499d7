#include "boltzflow/samplers/annealing_flow/Langevin.hpp"

#include <cmath>

#include "boltzflow/core/Rng.hpp"

namespace boltzflow::annealing_flow {

void langevin_steps(const cnf::EnergyFn& energy, const Particles& x, std::uint64_t first_id, int steps, double eta,
                    std::uint64_t seed, int block) {
  const int n = x.extent(0), d = x.extent(1);
  Scalars E("boltzflow::annealing_flow::langevin_E", n);
  Particles g("boltzflow::annealing_flow::langevin_grad", n, d);
  const Rng rng(seed, Stream::af_langevin);
  const double noise = std::sqrt(2.0 * eta);
  for (int s = 0; s < steps; ++s) {
    energy(x, E, g);
    const auto step = static_cast<std::uint32_t>(block * steps + s);
    Kokkos::parallel_for(
        "boltzflow::annealing_flow::langevin", Kokkos::RangePolicy<ExecSpace>(0, n), KOKKOS_LAMBDA(const int i) {
          for (int j = 0; j < d; ++j) x(i, j) += -eta * g(i, j) + noise * rng.normal(first_id + i, step, j);
        });
  }
}

}  // namespace boltzflow::annealing_flow
