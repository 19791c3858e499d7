#pragma once
// A CNF density in whitened coordinates: x = μ + σ ⊙ y, y = T(z) the time-1 map of
// dy/dt = v_θ(y, t) from z ~ N(0, I) (flowMC's whitening by the training data's mean and
// diagonal std). Densities are exact up to the ODE discretisation (exact divergence along
// the same fixed-step scheme):
//   log q(x) = log N(z; 0, I) − ∫₀¹ ∇·v dt − Σ_j log σ_j
// where sample() integrates 0 → 1 from a fresh z and log_density() integrates x's y back
// 1 → 0 to find z (§0 "log q at an arbitrary point"). The whitening's log-Jacobian is kept
// (it cancels in MH ratios but not in importance weights or log Z).
#include <memory>
#include <vector>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/nn/VelocityMlp.hpp"
#include "boltzflow/ode/Integrator.hpp"

namespace boltzflow::interpolant {

class WhitenedCnf {
 public:
  // spec.t0, t1 are ignored (sampling runs 0 → 1, density evaluation 1 → 0); spec.div must
  // be exact for densities. Rows are processed in chunks of `chunk` (bounds the jet workspace).
  WhitenedCnf(std::unique_ptr<nn::VelocityMlp<Real>> field, ode::FlowSpec spec, int chunk = 1024);
  int dim() const { return field_->dim(); }
  nn::VelocityMlp<Real>& field() { return *field_; }
  const nn::VelocityMlp<Real>& field() const { return *field_; }
  const ode::FlowSpec& spec() const { return spec_; }
  // The scheme log_density() integrates with (1 → 0, exact divergence): a loss through the
  // density must use the same discretisation to train the density the sampler evaluates.
  const ode::FlowSpec& density_spec() const { return bwd_.spec(); }

  // μ, σ from the rows of a distributed data set (MPI-global means; σ_j floored at min_std).
  // NumericalError if a moment is not finite (collective: the sums are global).
  void fit_whitening(const Comm& comm, const Particles& rows, double min_std);
  void set_whitening(const std::vector<double>& mean, const std::vector<double>& std);
  const std::vector<double>& mean() const { return mean_; }
  const std::vector<double>& std() const { return std_; }
  double log_det_whitening() const;  // Σ_j log σ_j
  // y = (x − μ)/σ row by row (y may alias x).
  void whiten(const Particles& x, const Particles& y) const;

  // Row i: z from Rng(seed, stream) keyed by (first_id + i, step, j); x = μ + σ T(z); log q(x).
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
  std::vector<double> mean_, std_;
  Vector<Real> dmean_, dstd_;  // device copies for the kernels
  Particles y_;
  Scalars ell_;
};

}  // namespace boltzflow::interpolant
