#pragma once
// The backward log q of a 2-D whitened CNF at the centres of an m0 × m1 midpoint grid over
// [lo0, hi0] × [lo1, hi1], and its quadrature mass (≈ 1 when the box holds the density).
#include <cmath>
#include <vector>

#include "boltzflow/samplers/interpolant/WhitenedCnf.hpp"

namespace testutil {

struct DensityGrid {
  std::vector<double> x0, x1, log_q;  // per cell centre
  double cell = 0;                    // cell area
  double mass() const {
    double m = 0;
    for (double l : log_q) m += std::exp(l) * cell;
    return m;
  }
};

inline DensityGrid density_on_grid(boltzflow::interpolant::WhitenedCnf& cnf, double lo0, double hi0, int m0,
                                   double lo1, double hi1, int m1) {
  using namespace boltzflow;
  const double h0 = (hi0 - lo0) / m0, h1 = (hi1 - lo1) / m1;
  Particles x("grid", m0 * m1, 2);
  auto hx = Kokkos::create_mirror_view(x);
  DensityGrid g;
  g.cell = h0 * h1;
  for (int a = 0; a < m0; ++a)
    for (int b = 0; b < m1; ++b) {
      hx(a * m1 + b, 0) = lo0 + (a + 0.5) * h0;
      hx(a * m1 + b, 1) = lo1 + (b + 0.5) * h1;
      g.x0.push_back(hx(a * m1 + b, 0));
      g.x1.push_back(hx(a * m1 + b, 1));
    }
  Kokkos::deep_copy(x, hx);
  Scalars lq("lq", m0 * m1);
  cnf.log_density(x, lq);
  auto hl = Kokkos::create_mirror_view_and_copy(HostSpace(), lq);
  g.log_q.assign(hl.data(), hl.data() + hl.extent(0));
  return g;
}

}  // namespace testutil
