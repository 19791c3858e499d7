#pragma once
// A scalar field f_θ: R^d × [0,1] → R as a jet MLP, with ∇ₓf, ∂ₜf and the exact Laplacian Δₓf
// (forward Laplacian: one extra jet slot, no Hessian), and reverse mode for losses built from
// any of them.
#include "boltzflow/nn/Mlp.hpp"

namespace boltzflow::nn {

struct EnergyWant {
  bool grad = false, dt = false, lap = false;
};

template <class Scalar>
class EnergyMlp {
 public:
  using Mat = Matrix<Scalar>;
  using Vec = Vector<Scalar>;

  // shape.outputs is set to 1; ∂ₜf needs a time input.
  EnergyMlp(MlpShape shape, std::uint64_t init_seed, bool zero_last);
  int dim() const { return net_.shape().dim; }
  std::size_t num_params() const { return net_.num_params(); }
  Vec params() const { return net_.params(); }
  const MlpShape& shape() const { return net_.shape(); }
  const MlpLayout& layout() const { return net_.layout(); }

  // f (B); grad (B, d), dt (B), lap (B) where wanted (the others may be empty Views).
  void evaluate(const Mat& x, Scalar t, EnergyWant want, const Vec& f, const Mat& grad, const Vec& dt, const Vec& lap);
  // L = Σ_b [gf f + ggrad·∇f + gdt ∂ₜf + glap Δf] (unwanted cotangents are ignored):
  // writes gx = ∂L/∂x (B, d), accumulates gparams += ∂L/∂θ.
  void vjp(const Mat& x, Scalar t, EnergyWant want, const Vec& gf, const Mat& ggrad, const Vec& gdt, const Vec& glap,
           const Mat& gx, const Vec& gparams);
  // Bytes per particle held between evaluate and vjp (kept jets, recorded inputs, cotangent
  // rows): what a micro-batch size must budget for.
  std::size_t workspace_bytes_per_particle(EnergyWant want) const;

 private:
  JetSpec spec(EnergyWant w) const;
  Mlp<Scalar> net_;
  Vec gout_;  // cotangent rows, column-major (grown on demand)
};

}  // namespace boltzflow::nn
