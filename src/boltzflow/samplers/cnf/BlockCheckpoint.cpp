#include "boltzflow/samplers/cnf/BlockCheckpoint.hpp"

#include "boltzflow/core/Error.hpp"

namespace boltzflow::cnf {

namespace {
void put(io::H5Writer& w, const std::string& name, const std::vector<double>& v) {
  if (!v.empty()) w.write_array(name, v, {v.size()});
}
std::vector<double> get(const io::H5Reader& r, const std::string& name) {
  return r.exists(name) ? r.read_all_double(name) : std::vector<double>();
}
}  // namespace

std::vector<double> params_of(const CnfBlock& block) {
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), block.params());
  return std::vector<double>(h.data(), h.data() + h.extent(0));
}

void write_block(io::H5Writer& w, const std::string& group, const CnfBlock& block, const TrainLog& log) {
  put(w, group + "/params", params_of(block));
  put(w, group + "/loss", log.loss);
  put(w, group + "/energy", log.energy);
  put(w, group + "/divergence", log.divergence);
  put(w, group + "/kinetic", log.kinetic);
  put(w, group + "/grad_norm", log.grad_norm);
  w.attribute(group, "seconds", log.seconds);
  w.attribute(group, "cpu_seconds", log.cpu_seconds);
  w.attribute(group, "nfe", std::int64_t(log.nfe));
}

TrainLog read_block(const io::H5Reader& r, const std::string& group, const CnfBlock& block) {
  const auto p = get(r, group + "/params");
  const auto params = block.params();
  if (p.size() != params.extent(0))
    throw InputError("run.restart: " + group + " of the checkpoint has " + std::to_string(p.size()) +
                     " parameters, the deck's network " + std::to_string(params.extent(0)));
  auto h = Kokkos::create_mirror_view(params);
  for (std::size_t i = 0; i < p.size(); ++i) h(i) = p[i];
  Kokkos::deep_copy(params, h);
  TrainLog log;
  log.loss = get(r, group + "/loss");
  log.energy = get(r, group + "/energy");
  log.divergence = get(r, group + "/divergence");
  log.kinetic = get(r, group + "/kinetic");
  log.grad_norm = get(r, group + "/grad_norm");
  log.seconds = r.attribute_double(group, "seconds");
  log.cpu_seconds = r.attribute_double(group, "cpu_seconds");
  log.nfe = static_cast<long>(r.attribute_int64(group, "nfe"));
  return log;
}

}  // namespace boltzflow::cnf
