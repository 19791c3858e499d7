#include "boltzflow/samplers/fisher_rao/Model.hpp"

#include "boltzflow/core/Error.hpp"

namespace boltzflow::fisher_rao {

Model::Model(const ModelConfig& cfg) : config_(cfg) {
  nn::MlpShape shape = cfg.net.shape;
  shape.dim = cfg.dim;
  const auto seed = cfg.net.init_seed;
  const auto act = shape.activation;
  if (cfg.kind != Interpolation::linear) {
    if (shape.time == nn::TimeInput::none) throw InputError("network.time = none: Fisher–Rao's ψ(x,t) needs a time input");
    psi = std::make_unique<nn::EnergyMlp<Real>>(shape, seed, cfg.net.zero_last);
  }
  if (cfg.kind == Interpolation::gradient_flow) g = std::make_unique<TimeNet>(cfg.time_width, cfg.time_depth, act, seed + 2, true);
  if (cfg.learn_c) c = std::make_unique<TimeNet>(cfg.time_width, cfg.time_depth, act, seed + 3, true);
  if (cfg.kind != Interpolation::gradient_flow) {
    if (shape.time == nn::TimeInput::none) throw InputError("network.time = none: Fisher–Rao's v(x,t) needs a time input");
    v = std::make_unique<nn::VelocityMlp<Real>>(shape, seed + 1, cfg.net.zero_last);
  }

  std::vector<std::pair<std::string, Vec>> list;
  if (psi) list.emplace_back("psi", psi->params());
  if (g) list.emplace_back("g", g->params());
  if (c) list.emplace_back("c", c->params());
  if (v) list.emplace_back("v", v->params());
  std::size_t n = 0;
  for (const auto& p : list) n += p.second.extent(0);
  grads_ = Vec("boltzflow::fisher_rao::grads", n);
  std::size_t off = 0;
  for (const auto& [name, p] : list) {
    const std::size_t m = p.extent(0);
    blocks_.push_back({name, p, Kokkos::subview(grads_, std::make_pair(off, off + m))});
    off += m;
  }
}

Model::Vec Model::grad(const std::string& name) const {
  for (const auto& b : blocks_)
    if (b.name == name) return b.grad;
  throw std::logic_error("fisher_rao::Model: no network '" + name + "'");
}

}  // namespace boltzflow::fisher_rao
