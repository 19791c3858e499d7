#pragma once
// A scalar field f_θ: R^d × [0,1] → R as a jet MLP, with ∇ₓf, ∂ₜf and the exact Laplacian Δₓf
// (forward Laplacian), and reverse mode for losses built from any of them.
#include "boltzflow/nn/JetMlp.hpp"

namespace boltzflow::nn {

struct EnergyWant {
  bool grad = false, dt = false, lap = false;
};

template <class Scalar>
class EnergyMlp {
 public:
  using Mat = Matrix<Scalar>;
  using Vec = Vector<Scalar>;

  EnergyMlp(MlpShape shape, std::uint64_t init_seed, bool zero_last);
  int dim() const { return net_.shape().dim; }
  std::size_t num_params() const { return net_.num_params(); }
  Vec params() const { return net_.params(); }

  // f (B); grad (B, d), dt (B), lap (B) when wanted (unwanted Views may be empty).
  void evaluate(const Mat& x, Scalar t, EnergyWant want, const Vec& f, const Mat& grad, const Vec& dt, const Vec& lap);
  // L = Σ_b [gf f + ggrad·∇f + gdt ∂ₜf + glap Δf]: gx = ∂L/∂x, gparams += ∂L/∂θ.
  void vjp(const Mat& x, Scalar t, EnergyWant want, const Vec& gf, const Mat& ggrad, const Vec& gdt, const Vec& glap,
           const Mat& gx, const Vec& gparams);

 private:
  JetSpec spec(EnergyWant w) const;
  JetMlp<Scalar> net_;
  Mat gout_;
};

}  // namespace boltzflow::nn
