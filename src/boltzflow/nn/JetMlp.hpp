#pragma once
// A fully connected network of (x, t) evaluated on particles together with derivatives in x,
// propagated as jets: per particle the value h, K tangents ḣ⁽ⁱ⁾ and optionally the Laplacian
// term ḧ = Σᵢ ∂²h/∂xᵢ². The 1 + K (+1) slots of all particles are stacked as rows, so every
// layer is one GEMM (R = B·slots rows) plus one elementwise kernel:
//   z = W h + b:  ż = W ḣ, z̈ = W ḧ (bias on the value slot only)
//   h = σ(z):     σ(z), σ'(z) ż, σ'(z) z̈ + σ''(z) Σᵢ żᵢ²   (the sum over x-tangents only)
// Reverse mode re-runs the jets (nothing is taped between calls) and back-propagates through
// both, giving ∂/∂θ (accumulated) and ∂/∂x. All parameters live in one flat View.
#include <cstdint>
#include <string>
#include <vector>

#include "boltzflow/core/Types.hpp"
#include "boltzflow/nn/Activation.hpp"

namespace boltzflow::nn {

enum class TimeInput { none, linear, fourier };

struct MlpShape {
  int dim = 2;            // x dimension
  int outputs = 2;        // d for a velocity field, 1 for an energy
  int width = 64, depth = 3;  // hidden layers
  Activation activation = Activation::tanh;
  double softplus_beta = 1.0;
  TimeInput time = TimeInput::linear;
  int fourier_features = 4;
  int time_features() const { return time == TimeInput::none ? 0 : time == TimeInput::linear ? 1 : 1 + 2 * fourier_features; }
  int inputs() const { return dim + time_features(); }
  bool operator==(const MlpShape& o) const;
};

// What the tangent slots hold at the input.
enum class Tangents {
  basis,       // K = d: e_1..e_d (exact divergence, gradient)
  basis_time,  // K = d + 1: e_1..e_d and the time direction (gradient and ∂ₜ)
  probes,      // K caller probes ε (B, K, d): Hutchinson
};

struct JetSpec {
  Tangents tangents = Tangents::basis;
  int K = 0;          // number of tangents
  bool laplacian = false;
  int slots() const { return 1 + K + (laplacian ? 1 : 0); }
};

template <class Scalar>
class JetMlp {
 public:
  using Mat = Matrix<Scalar>;
  using Vec = Vector<Scalar>;
  using Probes = Kokkos::View<Scalar***, Kokkos::LayoutRight, MemSpace>;

  JetMlp(const MlpShape& shape, std::uint64_t init_seed, bool zero_last);
  const MlpShape& shape() const { return shape_; }
  std::size_t num_params() const { return params_.extent(0); }
  Vec params() const { return params_; }
  // Offsets of layer l's weights (out × in, row-major) and bias in the flat vector.
  std::size_t weight_offset(int l) const { return offsets_[l]; }
  std::size_t bias_offset(int l) const { return offsets_[l] + std::size_t(widths_[l + 1]) * widths_[l]; }
  int layers() const { return static_cast<int>(widths_.size()) - 1; }
  int width(int l) const { return widths_[l]; }  // l = 0: inputs, l = layers(): outputs

  // Forward jets. Output rows (R × outputs), R = B·slots, row b·slots + s: slot s of particle b.
  // The returned View is workspace: valid until the next call.
  Mat forward(const Mat& x, Scalar t, const JetSpec& spec, const Probes& probes);
  // Reverse sweep after re-running forward: gout (R × outputs) is the cotangent of the output
  // rows; accumulates gparams += ∂L/∂θ and writes gx (B × d) = ∂L/∂x.
  void backward(const Mat& x, Scalar t, const JetSpec& spec, const Probes& probes, const Mat& gout, const Mat& gx,
                const Vec& gparams);

 private:
  void reserve(std::size_t rows);
  void fill_input(const Mat& x, Scalar t, const JetSpec& spec, const Probes& probes);
  MlpShape shape_;
  std::vector<int> widths_;
  std::vector<std::size_t> offsets_;
  Vec params_;
  std::size_t rows_ = 0;
  std::vector<Mat> H_, Z_;  // H_[l]: input of layer l (R × widths_[l]); Z_[l]: its output
  Mat G_, GH_;              // cotangent buffers (R × max width)
};

}  // namespace boltzflow::nn
