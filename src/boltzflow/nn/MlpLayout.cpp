#include "boltzflow/nn/MlpLayout.hpp"

#include <algorithm>

#include "boltzflow/core/Error.hpp"

namespace boltzflow::nn {

TimeInput time_input_from_string(const std::string& s) {
  if (s == "none") return TimeInput::none;
  if (s == "linear") return TimeInput::linear;
  if (s == "fourier") return TimeInput::fourier;
  throw InputError("network.time = '" + s + "' is not one of none|linear|fourier");
}

std::string to_string(TimeInput t) {
  return t == TimeInput::none ? "none" : t == TimeInput::linear ? "linear" : "fourier";
}

bool MlpShape::operator==(const MlpShape& o) const {
  return dim == o.dim && outputs == o.outputs && width == o.width && depth == o.depth && activation == o.activation &&
         (activation != Activation::softplus || softplus_beta == o.softplus_beta) && time == o.time &&
         (time != TimeInput::fourier || fourier_features == o.fourier_features);
}

MlpLayout::MlpLayout(const MlpShape& s) {
  BOLTZFLOW_ASSERT(s.dim > 0 && s.outputs > 0 && s.width > 0 && s.depth >= 1 && s.time_features() >= 0,
                   "MlpLayout: bad network shape");
  widths_.push_back(s.inputs());
  for (int l = 0; l < s.depth; ++l) widths_.push_back(s.width);
  widths_.push_back(s.outputs);
  offsets_.push_back(0);
  for (int l = 0; l < layers(); ++l) offsets_.push_back(offsets_.back() + std::size_t(widths_[l + 1]) * (widths_[l] + 1));
}

int MlpLayout::max_width() const { return *std::max_element(widths_.begin(), widths_.end()); }

std::vector<MlpLayout::Entry> MlpLayout::table() const {
  std::vector<Entry> t;
  for (int l = 0; l < layers(); ++l) {
    t.push_back({"layer" + std::to_string(l) + ".weight", weight_offset(l), widths_[l + 1], widths_[l]});
    t.push_back({"layer" + std::to_string(l) + ".bias", bias_offset(l), widths_[l + 1], 1});
  }
  return t;
}

}  // namespace boltzflow::nn
