#pragma once
// A CNF density in whitened coordinates: x = μ + L y, y = T(z) the time-1 map of
// dy/dt = v_θ(y, t) from z ~ N(0, I) (Whitening: flowMC's diagonal L = diag(σ), or the
// Cholesky factor of the data covariance). Densities are exact up to the ODE discretisation
// (exact divergence along the same fixed-step scheme):
//   log q(x) = log N(z; 0, I) − ∫₀¹ ∇·v dt − Σ_j log L_jj
// where sample() integrates 0 → 1 from a fresh z and log_density() integrates x's y back
// 1 → 0 to find z (§0 "log q at an arbitrary point"). The whitening's log-Jacobian is kept
// (it cancels in MH ratios but not in importance weights or log Z).
#include <memory>
#include <vector>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/nn/VelocityMlp.hpp"
#include "boltzflow/ode/Integrator.hpp"
#include "boltzflow/samplers/interpolant/Whitening.hpp"

namespace boltzflow::interpolant {

class WhitenedCnf {
 public:
  // spec.t0, t1 are ignored (sampling runs 0 → 1, density evaluation 1 → 0); spec.div must
  // be exact for densities. Rows are processed in chunks of `chunk` (bounds the jet workspace).
  WhitenedCnf(std::unique_ptr<nn::VelocityMlp<Real>> field, ode::FlowSpec spec,
              WhiteningKind whitening = WhiteningKind::diagonal, int chunk = 1024);
  int dim() const { return field_->dim(); }
  nn::VelocityMlp<Real>& field() { return *field_; }
  const nn::VelocityMlp<Real>& field() const { return *field_; }
  const ode::FlowSpec& spec() const { return spec_; }
  // The scheme log_density() integrates with (1 → 0, exact divergence): a loss through the
  // density must use the same discretisation to train the density the sampler evaluates.
  const ode::FlowSpec& density_spec() const { return bwd_.spec(); }

  // μ, L from the rows of a distributed data set (Whitening::fit; collective).
  void fit_whitening(const Comm& comm, const Particles& rows, double min_std) { white_.fit(comm, rows, min_std); }
  void set_whitening(const std::vector<double>& mean, const std::vector<double>& std) {
    white_.set_diagonal(mean, std);
  }
  Whitening& whitening() { return white_; }
  const Whitening& whitening() const { return white_; }
  const std::vector<double>& mean() const { return white_.mean(); }
  std::vector<double> std() const { return white_.std(); }
  double log_det_whitening() const { return white_.log_det(); }
  // y = L⁻¹(x − μ) row by row (y may alias x).
  void whiten(const Particles& x, const Particles& y) const { white_.whiten(x, y); }

  // Row i: z from Rng(seed, stream) keyed by (first_id + i, step, j); x = μ + L T(z); log q(x).
  void sample(std::uint64_t seed, Stream stream, std::uint64_t first_id, std::uint32_t step, const Particles& x,
              const Scalars& log_q);
  // log q at the rows of x (backward solve).
  void log_density(const Particles& x, const Scalars& log_q);
  long nfe() const { return fwd_.nfe() + bwd_.nfe(); }

 private:
  std::unique_ptr<nn::VelocityMlp<Real>> field_;
  ode::FlowSpec spec_;
  int chunk_;
  ode::Integrator<Real> fwd_, bwd_;
  Whitening white_;
  Particles y_;
  Scalars ell_;
};

}  // namespace boltzflow::interpolant
