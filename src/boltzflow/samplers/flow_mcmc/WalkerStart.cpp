#include "boltzflow/samplers/flow_mcmc/WalkerStart.hpp"

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/io/H5Reader.hpp"

namespace boltzflow::flow_mcmc {

void add_walker_start_options(config::po::options_description& d, const std::string& section) {
  using namespace config;
  const auto k = [&](const char* key) { return section + "." + key; };
  add_choice(d, k("start"), "gaussian", {"gaussian", "constant", "list", "file"},
             "walker start: N(0, init_scale^2 I); constant fields c_k (start_values); K points (start_values, K*d "
             "numbers); rows of an HDF5 dataset (start_file, start_dataset); walkers split in K equal blocks");
  add_list(d, k("start_values"), "", "start = constant: c_1, ..., c_K; start = list: K*d numbers row by row");
  add_string(d, k("start_file"), "", "start = file: HDF5 file with start points");
  add_string(d, k("start_dataset"), "/samples/x", "start = file: dataset of start points (rows)");
  add<double>(d, k("init_scale"), 1.0, "start = gaussian: standard deviation", 1e-12, 1e12);
}

WalkerStart walker_start(const config::Options& o, const std::string& section) {
  WalkerStart s;
  s.kind = o.str(section + ".start");
  s.values = o.numbers(section + ".start_values");
  s.file = o.str(section + ".start_file");
  s.dataset = o.str(section + ".start_dataset");
  s.scale = o.get<double>(section + ".init_scale");
  return s;
}

std::vector<std::vector<double>> start_points(const Comm& comm, const WalkerStart& s, int d,
                                              const std::string& section) {
  std::vector<std::vector<double>> pts;
  if (s.kind == "constant") {
    if (s.values.empty()) throw InputError(section + ".start_values: start = constant needs at least one value");
    for (double c : s.values) pts.emplace_back(d, c);
  } else if (s.kind == "list") {
    if (s.values.empty() || s.values.size() % d != 0)
      throw InputError(section + ".start_values: start = list needs K*d = K*" + std::to_string(d) + " numbers, got " +
                       std::to_string(s.values.size()));
    for (std::size_t k = 0; k < s.values.size() / d; ++k)
      pts.emplace_back(s.values.begin() + k * d, s.values.begin() + (k + 1) * d);
  } else if (s.kind == "file") {
    if (s.file.empty()) throw InputError(section + ".start_file: start = file needs a file name");
    io::H5Reader f(comm, s.file);
    const auto dims = f.dims(s.dataset);
    if (dims.size() != 2 || int(dims[1]) != d || dims[0] == 0)
      throw InputError(section + ".start_dataset: '" + s.dataset + "' in " + s.file + " is not an (K, " +
                       std::to_string(d) + ") dataset");
    const auto all = f.read_all_double(s.dataset);
    for (std::size_t k = 0; k < dims[0]; ++k) pts.emplace_back(all.begin() + k * d, all.begin() + (k + 1) * d);
  }
  return pts;
}

void place_walkers(const Comm& comm, const WalkerStart& s, int d, std::int64_t n_global, std::uint64_t first_id,
                   std::uint64_t seed, const Particles& x, const std::string& section) {
  const auto n = x.extent(0);
  if (s.kind == "gaussian") {
    const Rng rng(seed, Stream::init_particles);
    const double sc = s.scale;
    Kokkos::parallel_for(
        "boltzflow::flow_mcmc::init_gaussian", Kokkos::RangePolicy<ExecSpace>(0, n), KOKKOS_LAMBDA(const int i) {
          for (int j = 0; j < d; ++j) x(i, j) = sc * rng.normal(first_id + i, 0, j);
        });
    return;
  }
  const auto pts = start_points(comm, s, d, section);
  const auto K = static_cast<std::int64_t>(pts.size());
  auto h = Kokkos::create_mirror_view(x);
  for (std::size_t i = 0; i < n; ++i) {
    const auto g = static_cast<std::int64_t>(first_id + i);
    const auto k = std::min(K - 1, g * K / n_global);
    for (int j = 0; j < d; ++j) h(i, j) = pts[k][j];
  }
  Kokkos::deep_copy(x, h);
}

}  // namespace boltzflow::flow_mcmc
