#pragma once
// A diagonal Gaussian N(mu, diag(s^2)) written out by hand: an independent reference target
// for sampler tests (closed-form moments, no dependency on the targets library).
#include "boltzflow/core/Types.hpp"
#include "boltzflow/targets/Target.hpp"

struct GaussianTestTarget : boltzflow::Target {
  std::vector<double> mu, s;
  GaussianTestTarget(std::vector<double> m, std::vector<double> sd) : mu(std::move(m)), s(std::move(sd)) {}
  std::string name() const override { return "test_gaussian"; }
  int dim() const override { return static_cast<int>(mu.size()); }
  void gradient(const boltzflow::Particles& x, const boltzflow::Scalars& U, const boltzflow::Particles& g) const override {
    auto hx = Kokkos::create_mirror_view_and_copy(boltzflow::HostSpace(), x);
    auto hU = Kokkos::create_mirror_view(U);
    auto hg = Kokkos::create_mirror_view(g);
    for (std::size_t i = 0; i < hx.extent(0); ++i) {
      double u = 0;
      for (int j = 0; j < dim(); ++j) {
        const double z = (hx(i, j) - mu[j]) / s[j];
        u += 0.5 * z * z;
        hg(i, j) = z / s[j];
      }
      hU(i) = u;
    }
    Kokkos::deep_copy(U, hU);
    Kokkos::deep_copy(g, hg);
  }
  void energy(const boltzflow::Particles& x, const boltzflow::Scalars& U) const override {
    boltzflow::Particles g("g", x.extent(0), x.extent(1));
    gradient(x, U, g);
  }
  void laplacian(const boltzflow::Particles&, const boltzflow::Scalars&) const override {}
};
