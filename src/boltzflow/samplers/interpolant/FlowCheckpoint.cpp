#include "boltzflow/samplers/interpolant/FlowCheckpoint.hpp"

#include "boltzflow/core/Error.hpp"

namespace boltzflow::interpolant {

namespace {
std::vector<double> host_copy(const Vector<Real>& v) {
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), v);
  return std::vector<double>(h.data(), h.data() + h.extent(0));
}

// values -> v (same length, checked by the caller).
void device_copy(const std::vector<double>& values, const Vector<Real>& v) {
  auto h = Kokkos::create_mirror_view(v);
  for (std::size_t i = 0; i < values.size(); ++i) h(i) = values[i];
  Kokkos::deep_copy(v, h);
}
}  // namespace

void write_flow_state(io::H5Writer& w, const std::string& group, const WhitenedCnf& cnf,
                      const FlowTrainer& trainer) {
  const auto put = [&](const std::string& name, const std::vector<double>& v) {
    w.write_array(group + "/" + name, v, {v.size()});
  };
  const auto& adam = trainer.optimizer();
  put("params", host_copy(cnf.field().params()));
  put("whitening_mean", cnf.mean());
  put("whitening_std", cnf.std());
  put("adam_m", host_copy(adam.m()));
  put("adam_v", host_copy(adam.v()));
  w.attribute(group, "adam_steps", std::int64_t(adam.steps()));
}

void read_flow_state(const io::H5Reader& r, const std::string& group, WhitenedCnf& cnf, FlowTrainer& trainer) {
  const auto params = r.read_all_double(group + "/params");
  const auto mean = r.read_all_double(group + "/whitening_mean"), stdv = r.read_all_double(group + "/whitening_std");
  const auto n = cnf.field().num_params();
  if (params.size() != n || int(mean.size()) != cnf.dim())
    throw InputError("run.restart: the checkpoint's flow has " + std::to_string(params.size()) +
                     " parameters in dimension " + std::to_string(mean.size()) + ", the deck's network " +
                     std::to_string(n) + " in dimension " + std::to_string(cnf.dim()) + " (network.width/depth)");
  const auto m = r.read_all_double(group + "/adam_m"), v = r.read_all_double(group + "/adam_v");
  BOLTZFLOW_ASSERT(m.size() == n && v.size() == n && stdv.size() == mean.size(), "read_flow_state: inconsistent file");
  device_copy(params, cnf.field().params());
  cnf.set_whitening(mean, stdv);
  auto& adam = trainer.optimizer();
  device_copy(m, adam.m());
  device_copy(v, adam.v());
  adam.set_steps(static_cast<long>(r.attribute_int64(group, "adam_steps")));
}

}  // namespace boltzflow::interpolant
