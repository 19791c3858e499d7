#include "boltzflow/samplers/fisher_rao/TrainState.hpp"

#include "boltzflow/core/Error.hpp"

namespace boltzflow::fisher_rao {

namespace {

std::vector<double> to_host(const Vector<Real>& v) {
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), v);
  return std::vector<double>(h.data(), h.data() + h.extent(0));
}

// v ← values; `what` names the dataset in the error when the sizes differ (another network shape).
void from_host(const std::vector<double>& values, const Vector<Real>& v, const std::string& what) {
  if (values.size() != v.extent(0))
    throw InputError("run.restart: " + what + " has " + std::to_string(values.size()) + " values, the deck's network " +
                     std::to_string(v.extent(0)));
  auto h = Kokkos::create_mirror_view(v);
  for (std::size_t i = 0; i < values.size(); ++i) h(i) = values[i];
  Kokkos::deep_copy(v, h);
}

void put(io::H5Writer& w, const std::string& name, const std::vector<double>& v) {
  if (!v.empty()) w.write_array(name, v, {v.size()});  // no empty datasets
}

std::vector<double> get(const io::H5Reader& r, const std::string& name) {
  return r.exists(name) ? r.read_all_double(name) : std::vector<double>();
}

}  // namespace

TrainState::TrainState(const Model& m, const nn::AdamConfig& config) {
  for (const auto& b : m.blocks()) adam.emplace_back(b.params.extent(0), config);
}

std::string curve_signature(const ModelConfig& c, const std::string& target) {
  const auto& s = c.net.shape;
  std::string sig = "target=" + target + " " + to_string(c.kind) + " d=" + std::to_string(c.dim) + " learn_c=" + std::to_string(int(c.learn_c));
  // ψ and/or v: every curve has at least one network of (x, t).
  sig += " network=" + std::to_string(s.width) + "x" + std::to_string(s.depth) + "," + nn::to_string(s.activation);
  if (s.activation == nn::Activation::softplus) sig += "(beta=" + config::to_text(s.softplus_beta) + ")";
  sig += ",time=" + nn::to_string(s.time);
  if (s.time == nn::TimeInput::fourier) sig += "(" + std::to_string(s.fourier_features) + ")";
  if (c.kind == Interpolation::gradient_flow || c.learn_c)  // g(t), C_t
    sig += " time_net=" + std::to_string(c.time_width) + "x" + std::to_string(c.time_depth);
  // Only a non-default weight is named: checkpoints of affine curves written before the key still fit.
  if (c.kind == Interpolation::gradient_flow && c.weight != LogTargetWeight::affine) sig += " schedule=" + to_string(c.weight);
  return sig;
}

void write_train_state(io::H5Writer& w, const std::string& signature, const Model& m, const TrainState& s,
                       double seconds, long iterations) {
  w.attribute("/state", "curve", signature);
  w.attribute("/state", "iteration", std::int64_t(s.iteration));
  w.attribute("/state", "iterations", std::int64_t(iterations));
  w.attribute("/state", "nfe", std::int64_t(s.nfe));
  w.attribute("/state", "train_seconds", seconds);
  for (std::size_t b = 0; b < s.adam.size(); ++b) {
    const std::string g = "/state/networks/" + m.blocks()[b].name;
    put(w, g + "/params", to_host(m.blocks()[b].params));
    put(w, g + "/adam_m", to_host(s.adam[b].m()));
    put(w, g + "/adam_v", to_host(s.adam[b].v()));
    w.attribute(g, "adam_steps", std::int64_t(s.adam[b].steps()));
  }
  put(w, "/state/loss", s.loss);
  put(w, "/state/lr", s.lr);
  put(w, "/state/grad_norm", s.grad_norm);
}

void read_train_state(const io::H5Reader& r, const std::string& signature, const Model& m, TrainState& s,
                      long iterations) {
  const auto sig = r.attribute_string("/state", "curve");
  if (sig != signature)
    throw InputError("run.restart: the checkpoint's curve (" + sig + ") does not fit the deck's (" + signature + ")");
  const auto it = r.attribute_int64("/state", "iteration");
  if (it > iterations)
    throw InputError("run.restart: the checkpoint is at iteration " + std::to_string(it) +
                     ", past fisher_rao.iterations = " + std::to_string(iterations));
  for (std::size_t b = 0; b < s.adam.size(); ++b) {
    const auto& block = m.blocks()[b];
    const std::string g = "/state/networks/" + block.name;
    from_host(get(r, g + "/params"), block.params, g + "/params");
    from_host(get(r, g + "/adam_m"), s.adam[b].m(), g + "/adam_m");
    from_host(get(r, g + "/adam_v"), s.adam[b].v(), g + "/adam_v");
    s.adam[b].set_steps(long(r.attribute_int64(g, "adam_steps")));
  }
  s.iteration = long(it);
  s.nfe = long(r.attribute_int64("/state", "nfe"));
  s.seconds = r.attribute_double("/state", "train_seconds");
  s.loss = get(r, "/state/loss");
  s.lr = get(r, "/state/lr");
  s.grad_norm = get(r, "/state/grad_norm");
  if (s.loss.size() != std::size_t(it) || s.lr.size() != s.loss.size() || s.grad_norm.size() != s.loss.size())
    throw InputError("run.restart: the checkpoint's loss series has " + std::to_string(s.loss.size()) +
                     " entries for iteration " + std::to_string(it));
}

}  // namespace boltzflow::fisher_rao
