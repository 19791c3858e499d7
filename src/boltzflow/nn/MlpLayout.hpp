#pragma once
// The shape of a fully connected network of (x, t) and where each layer's weights and bias
// sit in its ONE flat parameter vector. Layer l maps widths[l] -> widths[l+1]: weights
// row-major (out × in) at weight_offset(l), followed by the bias (out) at bias_offset(l).
// Input features: x, then the time features (none; t; or t, sin 2πkt, cos 2πkt for k = 1..F).
#include <cstddef>
#include <string>
#include <vector>

#include "boltzflow/core/Math.hpp"
#include "boltzflow/nn/Activation.hpp"

namespace boltzflow::nn {

enum class TimeInput { none, linear, fourier };

TimeInput time_input_from_string(const std::string& name);  // InputError naming network.time
std::string to_string(TimeInput t);

struct MlpShape {
  int dim = 2;                // x dimension
  int outputs = 2;            // d for a velocity field, 1 for an energy
  int width = 64, depth = 3;  // depth = number of hidden layers (>= 1)
  Activation activation = Activation::tanh;
  double softplus_beta = 1.0;
  TimeInput time = TimeInput::linear;
  int fourier_features = 4;

  int time_features() const {
    return time == TimeInput::none ? 0 : time == TimeInput::linear ? 1 : 1 + 2 * fourier_features;
  }
  int inputs() const { return dim + time_features(); }
  bool operator==(const MlpShape& o) const;
  bool operator!=(const MlpShape& o) const { return !(*this == o); }
};

class MlpLayout {
 public:
  explicit MlpLayout(const MlpShape& shape);
  int layers() const { return static_cast<int>(widths_.size()) - 1; }
  int width(int l) const { return widths_[l]; }  // l = 0: inputs, l = layers(): outputs
  int max_width() const;
  std::size_t weight_offset(int l) const { return offsets_[l]; }
  std::size_t bias_offset(int l) const { return offsets_[l] + std::size_t(widths_[l + 1]) * widths_[l]; }
  std::size_t num_params() const { return offsets_.back(); }
  // "layer<l>.weight" / "layer<l>.bias" with offset and shape: the table stored next to params.
  struct Entry {
    std::string name;
    std::size_t offset;
    int rows, cols;
  };
  std::vector<Entry> table() const;

 private:
  std::vector<int> widths_;
  std::vector<std::size_t> offsets_;  // layers() + 1 entries, the last one = num_params
};

// Time feature c (0: t; 2k-1: sin 2πkt; 2k: cos 2πkt) and its t-derivative.
template <class Scalar>
KOKKOS_INLINE_FUNCTION Scalar time_feature(int c, Scalar t) {
  if (c == 0) return t;
  const Scalar w = Scalar(2 * constants::pi) * Scalar((c + 1) / 2);
  return (c % 2) ? kmath::sin(w * t) : kmath::cos(w * t);
}
template <class Scalar>
KOKKOS_INLINE_FUNCTION Scalar time_feature_dt(int c, Scalar t) {
  if (c == 0) return Scalar(1);
  const Scalar w = Scalar(2 * constants::pi) * Scalar((c + 1) / 2);
  return (c % 2) ? w * kmath::cos(w * t) : -w * kmath::sin(w * t);
}

}  // namespace boltzflow::nn
