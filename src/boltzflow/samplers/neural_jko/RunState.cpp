#include "boltzflow/samplers/neural_jko/RunState.hpp"

#include "boltzflow/core/Error.hpp"
#include "boltzflow/samplers/cnf/BlockCheckpoint.hpp"

namespace boltzflow::neural_jko {

namespace {

const std::string state = "/state";

// "C" per CNF step, "R" per rejection step: the plan as the messages show it.
std::string plan_text(const std::vector<std::int64_t>& kinds, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n && i < kinds.size(); ++i) s += kinds[i] == 0 ? 'C' : 'R';
  return s;
}

void put(io::H5Writer& w, const std::string& name, const std::vector<double>& v) {
  if (!v.empty()) w.write_array(name, v, {v.size()});
}

std::vector<double> get(const io::H5Reader& r, const std::string& name) {
  return r.exists(name) ? r.read_all_double(name) : std::vector<double>();
}

Scalars column(const Matrix<double, HostSpace>& rows, const std::string& label) {
  Scalars v(label, rows.extent(0));
  auto h = Kokkos::create_mirror_view(v);
  for (std::size_t i = 0; i < rows.extent(0); ++i) h(i) = rows(i, 0);
  Kokkos::deep_copy(v, h);
  return v;
}

}  // namespace

void write_state(const Checkpoints& checkpoints, const std::string& method, const RunState& st, const StateShape& shape,
                 double wall_seconds, double cpu_seconds) {
  auto w = checkpoints.begin(method);
  w->write_rows_from(state + "/data_x", st.data.x);
  w->write_rows_from(state + "/data_e", st.data.e);
  w->attribute(state, "completed", std::int64_t(st.completed));
  w->attribute(state, "steps", std::int64_t(shape.plan.size()));
  w->attribute(state, "dataset", shape.dataset);
  w->attribute(state, "dim", std::int64_t(shape.dim));
  if (!st.kinds.empty()) w->write_array(state + "/kinds", st.kinds, {st.kinds.size()});
  w->attribute(state, "train_seconds", st.train_seconds);
  w->attribute(state, "train_cpu_seconds", st.train_cpu_seconds);
  w->attribute(state, "dataset_seconds", st.dataset_seconds);
  w->attribute(state, "wall_seconds", wall_seconds);
  w->attribute(state, "cpu_seconds", cpu_seconds);
  for (std::size_t k = 0; k < st.blocks.size(); ++k)
    cnf::write_block(*w, state + "/cnf_" + std::to_string(k + 1), st.blocks[k], st.logs[k]);
  std::vector<double> rej;
  for (const auto& p : st.rejections) rej.insert(rej.end(), {p.log_c, p.r_hat});
  if (!rej.empty()) w->write_array(state + "/rejection", rej, {st.rejections.size(), 2});
  std::string names;  // H5Reader lists no groups: the series' names travel as text
  for (const auto& [name, v] : st.series) {
    put(*w, state + "/series/" + name, v);
    names += name + "\n";
  }
  w->write_string(state + "/series_names", names);
  checkpoints.commit(*w);
}

RunState read_state(const io::H5Reader& r, const StateShape& shape, const Decomposition& dec,
                    const std::function<cnf::CnfBlock(int k)>& new_block) {
  RunState st;
  const auto completed = r.attribute_int64(state, "completed");
  const auto n_ck = r.attribute_int64(state, "dataset");
  const auto d_ck = r.attribute_int64(state, "dim");
  if (n_ck != shape.dataset || d_ck != shape.dim)
    throw InputError("run.restart: checkpoint has a dataset of " + std::to_string(n_ck) + " samples in dimension " +
                     std::to_string(d_ck) + ", the deck neural_jko.dataset = " + std::to_string(shape.dataset) +
                     " in dimension " + std::to_string(shape.dim));
  if (completed > 0) st.kinds = r.read_all_int64(state + "/kinds");
  if (completed < 0 || std::size_t(completed) != st.kinds.size() || std::size_t(completed) > shape.plan.size() ||
      plan_text(st.kinds, st.kinds.size()) != plan_text(shape.plan, st.kinds.size()))
    throw InputError("run.restart: the checkpoint's " + std::to_string(completed) + " completed steps '" +
                     plan_text(st.kinds, st.kinds.size()) + "' (C = CNF, R = rejection) are not the first steps of the deck's plan '" +
                     plan_text(shape.plan, shape.plan.size()) + "' (neural_jko.n_flow, n_rej, rejections_per_block)");
  st.completed = static_cast<int>(completed);

  st.data = Batch(dec.local, shape.dim);
  Kokkos::deep_copy(st.data.x, r.read_rows(state + "/data_x", dec.offset, dec.local));
  Kokkos::deep_copy(st.data.e, column(r.read_rows(state + "/data_e", dec.offset, dec.local), "boltzflow::neural_jko::e"));

  int cnf = 0;
  for (const auto kind : st.kinds) {
    if (kind != 0) continue;
    auto block = new_block(cnf);
    st.logs.push_back(cnf::read_block(r, state + "/cnf_" + std::to_string(++cnf), block));
    st.blocks.push_back(block);
  }
  const auto rej = get(r, state + "/rejection");
  for (std::size_t i = 0; i + 1 < rej.size(); i += 2) st.rejections.push_back({rej[i], rej[i + 1]});
  if (st.rejections.size() + st.blocks.size() != st.kinds.size())
    throw InputError("run.restart: the checkpoint's step records are incomplete");

  const std::string names = r.read_string(state + "/series_names");
  for (std::size_t a = 0, b; a < names.size(); a = b + 1) {
    b = names.find('\n', a);
    if (b == std::string::npos) b = names.size();
    if (b > a) st.series[names.substr(a, b - a)] = get(r, state + "/series/" + names.substr(a, b - a));
  }
  st.train_seconds = r.attribute_double(state, "train_seconds");
  st.train_cpu_seconds = r.attribute_double(state, "train_cpu_seconds");
  st.dataset_seconds = r.attribute_double(state, "dataset_seconds");
  st.wall_seconds = r.attribute_double(state, "wall_seconds");
  st.cpu_seconds = r.attribute_double(state, "cpu_seconds");
  return st;
}

}  // namespace boltzflow::neural_jko
