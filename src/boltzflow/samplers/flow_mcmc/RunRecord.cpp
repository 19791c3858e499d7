#include "boltzflow/samplers/flow_mcmc/RunRecord.hpp"

#include <utility>

#include "boltzflow/core/Error.hpp"

namespace boltzflow::flow_mcmc {

RunRecord::RunRecord(std::size_t n, int d, long n_rec_, bool modes)
    : jumped("flow_mcmc_jumped", n),
      n_rec(n_rec_),
      n_out(n_rec_ > 0 ? n_rec_ : 1),
      x("rec_x", n * n_out, d),
      U("rec_U", n * n_out),
      log_q("rec_lq", n * n_out),
      trace_U("trace_U", n_rec_, n),
      trace_mode("trace_mode", modes ? n_rec_ : 0, modes ? n : 0) {}

void RunRecord::store(long r, const Particles& xs, const Scalars& Us, const Scalars& lqs,
                      const Vector<int, HostSpace>& labels) {
  auto hx = Kokkos::create_mirror_view_and_copy(HostSpace(), xs);
  auto hU = Kokkos::create_mirror_view_and_copy(HostSpace(), Us);
  auto hl = Kokkos::create_mirror_view_and_copy(HostSpace(), lqs);
  const int d = static_cast<int>(x.extent(1));
  for (std::size_t i = 0; i < jumped.extent(0); ++i) {
    const std::size_t row = i * n_out + r;  // walker-major: the global order is rank-count independent
    for (int j = 0; j < d; ++j) x(row, j) = hx(i, j);
    U(row) = hU(i);
    log_q(row) = hl(i);
    if (r < n_rec) {
      trace_U(r, i) = hU(i);
      if (labels.extent(0) > 0 && trace_mode.extent(0) > 0) trace_mode(r, i) = labels(i);
    }
  }
}

namespace {
// The tallies' real-valued fields under their checkpoint names (suffix _0 training, _1 production).
const std::pair<const char*, double PhaseTallies::*> tally_fields[] = {
    {"local_acceptance", &PhaseTallies::local_acceptance},
    {"global_acceptance", &PhaseTallies::global_acceptance},
    {"wall", &PhaseTallies::wall}};
}  // namespace

void RunRecord::save(io::H5Writer& w, const std::string& group, long records) const {
  std::string names;
  for (const auto& [name, v] : series) {
    if (v.empty()) continue;
    w.write_array(group + "/series/" + name, v, {v.size()});
    names += name + "\n";
  }
  if (!names.empty()) w.write_string(group + "/series_names", names);
  if (!train_losses.empty()) w.write_array(group + "/train_losses", train_losses, {train_losses.size()});
  for (int p = 0; p < 2; ++p) {
    const std::string a = "_" + std::to_string(p);
    for (const auto& [name, field] : tally_fields) w.attribute(group, name + a, phase[p].*field);
    w.attribute(group, "switches" + a, phase[p].switches);
  }
  w.write_rows(group + "/jumped", jumped);
  if (records == 0) return;
  const std::size_t n = jumped.extent(0);
  const int d = static_cast<int>(x.extent(1));
  const bool modes = trace_mode.extent(0) > 0;
  Matrix<Real, HostSpace> rx("ck_x", n, records * d), rU("ck_U", n, records), rl("ck_lq", n, records),
      rm("ck_mode", n, modes ? records : 0);
  for (std::size_t i = 0; i < n; ++i)
    for (long r = 0; r < records; ++r) {
      for (int j = 0; j < d; ++j) rx(i, r * d + j) = x(i * n_out + r, j);
      rU(i, r) = U(i * n_out + r);
      rl(i, r) = log_q(i * n_out + r);
      if (modes) rm(i, r) = trace_mode(r, i);
    }
  w.write_rows(group + "/x", rx);
  w.write_rows(group + "/U", rU);
  w.write_rows(group + "/log_q", rl);
  if (modes) w.write_rows(group + "/mode", rm);
}

void RunRecord::load(const io::H5Reader& r, const std::string& group, long records, std::int64_t first) {
  series.clear();
  if (r.exists(group + "/series_names")) {
    const auto names = r.read_string(group + "/series_names");
    for (std::size_t a = 0, b; (b = names.find('\n', a)) != std::string::npos; a = b + 1) {
      const auto name = names.substr(a, b - a);
      series[name] = r.read_all_double(group + "/series/" + name);
    }
  }
  train_losses = r.exists(group + "/train_losses") ? r.read_all_double(group + "/train_losses") : std::vector<double>();
  for (int p = 0; p < 2; ++p) {
    const std::string a = "_" + std::to_string(p);
    for (const auto& [name, field] : tally_fields) phase[p].*field = r.attribute_double(group, name + a);
    phase[p].switches = r.attribute_int64(group, "switches" + a);
  }
  const std::int64_t n = jumped.extent(0);
  const auto jr = r.read_rows(group + "/jumped", first, n);
  for (std::int64_t i = 0; i < n; ++i) jumped(i) = static_cast<int>(jr(i, 0));
  if (records == 0) return;
  BOLTZFLOW_ASSERT(records <= n_out, "RunRecord::load: more records than the deck's production keeps");
  const int d = static_cast<int>(x.extent(1));
  const bool modes = trace_mode.extent(0) > 0;
  const auto rx = r.read_rows(group + "/x", first, n), rU = r.read_rows(group + "/U", first, n),
             rl = r.read_rows(group + "/log_q", first, n);
  BOLTZFLOW_ASSERT(rx.extent(1) == std::size_t(records) * d && rU.extent(1) == std::size_t(records),
                   "RunRecord::load: record width");
  Matrix<double, HostSpace> rm;
  if (modes) rm = r.read_rows(group + "/mode", first, n);
  for (std::int64_t i = 0; i < n; ++i)
    for (long k = 0; k < records; ++k) {
      for (int j = 0; j < d; ++j) x(i * n_out + k, j) = rx(i, k * d + j);
      U(i * n_out + k) = rU(i, k);
      log_q(i * n_out + k) = rl(i, k);
      if (k < n_rec) trace_U(k, i) = rU(i, k);
      if (modes) trace_mode(k, i) = rm(i, k);
    }
}

}  // namespace boltzflow::flow_mcmc
