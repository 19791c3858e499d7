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

FlowSnapshot::FlowSnapshot(const WhitenedCnf& cnf)
    : params(host_copy(cnf.field().params())),
      mean(cnf.mean()),
      std(cnf.std()),
      factor(cnf.whitening().factor()),
      kind(whitening_name(cnf.whitening().kind())) {}

void FlowSnapshot::write(io::H5Writer& w, const std::string& group) const {
  const hsize_t d = mean.size();
  w.write_array(group + "/params", params, {params.size()});
  w.write_array(group + "/whitening_mean", mean, {d});
  w.write_array(group + "/whitening_std", std, {d});
  w.write_array(group + "/whitening_factor", factor, {d, d});
  w.attribute(group, "whitening", kind);
}

void write_flow_state(io::H5Writer& w, const std::string& group, const WhitenedCnf& cnf,
                      const FlowTrainer& trainer) {
  const auto put = [&](const std::string& name, const std::vector<double>& v) {
    w.write_array(group + "/" + name, v, {v.size()});
  };
  const auto& adam = trainer.optimizer();
  put("params", host_copy(cnf.field().params()));
  put("whitening_mean", cnf.mean());
  put("whitening_factor", cnf.whitening().factor());
  put("adam_m", host_copy(adam.m()));
  put("adam_v", host_copy(adam.v()));
  w.attribute(group, "adam_steps", std::int64_t(adam.steps()));
  w.attribute(group, "whitening", whitening_name(cnf.whitening().kind()));
}

void read_flow_state(const io::H5Reader& r, const std::string& group, WhitenedCnf& cnf, FlowTrainer& trainer) {
  const auto params = r.read_all_double(group + "/params");
  const auto mean = r.read_all_double(group + "/whitening_mean");
  const auto factor = r.read_all_double(group + "/whitening_factor");
  const auto n = cnf.field().num_params();
  if (params.size() != n || int(mean.size()) != cnf.dim())
    throw InputError("run.restart: the checkpoint's flow has " + std::to_string(params.size()) +
                     " parameters in dimension " + std::to_string(mean.size()) + ", the deck's network " +
                     std::to_string(n) + " in dimension " + std::to_string(cnf.dim()) + " (network.width/depth)");
  const auto kind = r.attribute_string(group, "whitening");
  if (kind != whitening_name(cnf.whitening().kind()))
    throw InputError("run.restart: the checkpoint's flow was trained with whitening = " + kind + ", the deck has " +
                     whitening_name(cnf.whitening().kind()));
  const auto m = r.read_all_double(group + "/adam_m"), v = r.read_all_double(group + "/adam_v");
  BOLTZFLOW_ASSERT(m.size() == n && v.size() == n && factor.size() == mean.size() * mean.size(),
                   "read_flow_state: inconsistent file");
  device_copy(params, cnf.field().params());
  cnf.whitening().set(mean, factor);
  auto& adam = trainer.optimizer();
  device_copy(m, adam.m());
  device_copy(v, adam.v());
  adam.set_steps(static_cast<long>(r.attribute_int64(group, "adam_steps")));
}

}  // namespace boltzflow::interpolant
