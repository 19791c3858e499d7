#pragma once
// Shared pieces of the Fisher–Rao tests: an isotropic Gaussian target written out by hand
// (U, ∇U, ΔU, exact sampler) and a small model configuration.
#include <cmath>
#include <vector>

#include "boltzflow/core/Rng.hpp"
#include "boltzflow/samplers/fisher_rao/Model.hpp"
#include "boltzflow/targets/Target.hpp"

namespace fr_test {

// ρ̃(x) = exp(−|x − μ|²/(2s²)) (unnormalised: log Z = (d/2) log(2π s²)).
struct IsoGaussian : boltzflow::Target {
  std::vector<double> mu;
  double s;
  IsoGaussian(std::vector<double> m, double sd) : mu(std::move(m)), s(sd) {}
  std::string name() const override { return "fr_test_gaussian"; }
  int dim() const override { return int(mu.size()); }
  void gradient(const boltzflow::Particles& x, const boltzflow::Scalars& U, const boltzflow::Particles& g) const override {
    auto hx = Kokkos::create_mirror_view_and_copy(boltzflow::HostSpace(), x);
    auto hU = Kokkos::create_mirror_view(U);
    auto hg = Kokkos::create_mirror_view(g);
    for (std::size_t i = 0; i < hx.extent(0); ++i) {
      double u = 0;
      for (int j = 0; j < dim(); ++j) {
        const double z = hx(i, j) - mu[j];
        u += 0.5 * z * z / (s * s);
        hg(i, j) = z / (s * s);
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
  void laplacian(const boltzflow::Particles&, const boltzflow::Scalars& lap) const override {
    Kokkos::deep_copy(lap, dim() / (s * s));
  }
  bool has_log_z() const override { return true; }
  double log_z() const override { return 0.5 * dim() * std::log(2 * M_PI * s * s); }
  bool has_sampler() const override { return true; }
  void sample(std::uint64_t seed, std::uint64_t first, const boltzflow::Particles& x) const override {
    const boltzflow::Rng rng(seed, boltzflow::Stream::exact_samples);
    auto h = Kokkos::create_mirror_view(x);
    for (std::size_t i = 0; i < h.extent(0); ++i)
      for (int j = 0; j < dim(); ++j) h(i, j) = mu[j] + s * rng.normal(first + i, 0, j);
    Kokkos::deep_copy(x, h);
  }
};

inline boltzflow::fisher_rao::ModelConfig small_model(
    boltzflow::fisher_rao::Interpolation kind, int d, bool learn_c,
    boltzflow::fisher_rao::LogTargetWeight weight = boltzflow::fisher_rao::LogTargetWeight::affine) {
  boltzflow::fisher_rao::ModelConfig c;
  c.weight = weight;
  c.kind = kind;
  c.dim = d;
  c.net.shape.width = 8;
  c.net.shape.depth = 2;
  c.net.shape.activation = boltzflow::nn::Activation::tanh;
  c.net.shape.time = boltzflow::nn::TimeInput::linear;
  c.net.init_seed = 5;
  c.time_width = 8;
  c.time_depth = 2;
  c.learn_c = learn_c;
  c.base_sigma = 1.5;
  return c;
}

}  // namespace fr_test
