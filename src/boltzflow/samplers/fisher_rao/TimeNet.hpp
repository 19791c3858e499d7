#pragma once
// A small learned scalar function of time alone, c(t) (the constant C_t of the continuity
// residual, the schedule g_φ(t) of the gradient-flow curve). It is an EnergyMlp on a 1-D input
// with no time feature, fed x = t: its "gradient" jet is then exactly dc/dt, which the schedule
// needs (∂ₜ[t·g(t)]), and its vjp takes cotangents for c and dc/dt together. A VelocityMlp of a
// 1-D input would give the same derivative as its divergence, but an energy is the scalar network.
#include <memory>
#include <utility>

#include "boltzflow/nn/EnergyMlp.hpp"

namespace boltzflow::fisher_rao {

class TimeNet {
 public:
  using Vec = Vector<Real>;
  // width × depth hidden layers; zero_last: c ≡ 0 at initialisation.
  TimeNet(int width, int depth, nn::Activation act, std::uint64_t init_seed, bool zero_last);
  std::size_t num_params() const { return net_.num_params(); }
  Vec params() const { return net_.params(); }
  const nn::MlpShape& shape() const { return net_.shape(); }
  // (c(t), dc/dt).
  std::pair<double, double> eval(double t);
  // gparams += gc ∂c/∂θ + gdc ∂(dc/dt)/∂θ.
  void vjp(double t, double gc, double gdc, const Vec& gparams);

 private:
  void set_input(double t);
  nn::EnergyMlp<Real> net_;
  Matrix<Real> x_, grad_, gx_, ggrad_;
  Vec f_, gf_, none_;
};

}  // namespace boltzflow::fisher_rao
