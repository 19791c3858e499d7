// The [target] section as a whole: every name builds with its defaults, every key has a default
// and a help line, and bad values are InputErrors naming the key.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "boltzflow/targets/Csv.hpp"

#include "TargetTestSupport.hpp"

using namespace boltzflow;
using namespace boltzflow::test;

TEST_CASE("every target name builds from its defaults and evaluates finite energies", "[targets]") {
  for (const auto& name : target_names()) {
    INFO(name);
    // gmm has no default mixture: it needs lists or a file.
    const auto t = build("name = " + name + "\n" + (name == "gmm" ? "weights = 1\nmeans = 0, 0\nsigmas = 1\n" : ""));
    REQUIRE(t->dim() > 0);
    CHECK(t->name() == name);
    // Exact samples (or small points) have finite U; energy() and gradient() agree on U.
    const auto x = t->has_sampler() ? exact_samples(*t, 8, 1) : random_points(8, t->dim(), 0.1, 0, 1);
    HostMatrix g;
    const auto Ug = gradients(*t, x, g);
    const auto U = energies(*t, x);
    for (int i = 0; i < 8; ++i) {
      CHECK(std::isfinite(U[i]));
      CHECK(Ug[i] == Approx(U[i]).epsilon(1e-13));
    }
    if (t->num_modes() > 0 && !t->mode_weights().empty()) {
      double s = 0;
      for (double w : t->mode_weights()) s += w;
      CHECK(s == Approx(1.0).epsilon(1e-12));
    }
  }
}

TEST_CASE("every [target] key has a default and a help line", "[targets]") {
  config::po::options_description d;
  add_target_options(d);
  std::set<std::string> keys;
  for (const auto& o : d.options()) {
    INFO(o->long_name());
    CHECK(o->long_name().rfind("target.", 0) == 0);
    CHECK_FALSE(o->description().empty());
    CHECK(keys.insert(o->long_name()).second);
    boost::any def;
    CHECK(o->semantic()->apply_default(def));
  }
  CHECK(keys.size() >= 25);
}

TEST_CASE("bad [target] values are InputErrors naming the key", "[targets]") {
  CHECK_THAT(input_error("name = nosuch\n"), Catch::Contains("target.name"));
  CHECK_THAT(input_error("name = gmm40\ndim = -1\n"), Catch::Contains("target.dim"));
  CHECK_THAT(input_error("name = gmm40\ndim = two\n"), Catch::Contains("target.dim"));
  CHECK_THAT(input_error("name = gmm40\nsigma = nan\n"), Catch::Contains("target.sigma"));
  CHECK_THAT(input_error("name = gmm40\nnosuch_key = 1\n"), Catch::Contains("target.nosuch_key"));
  CHECK_THAT(input_error("name = manywell\nrings_k = 3\n"), Catch::Contains("target.rings_k"));
  CHECK_THAT(input_error("name = funnel\nlogistic_af_prior = maybe\n"), Catch::Contains("target.logistic_af_prior"));
}

TEST_CASE("data files are found through BOLTZFLOW_DATA_DIR before the source tree", "[targets]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("boltzflow_data_" + std::to_string(::getpid()));
  fs::create_directories(dir / "inputs" / "data");
  std::ofstream(dir / "inputs" / "data" / "gmm40_means.csv") << "x,y\n1,2\n";
  ::setenv("BOLTZFLOW_DATA_DIR", dir.c_str(), 1);
  const fs::path cwd = fs::current_path();
  fs::current_path(fs::temp_directory_path());  // where no inputs/ folder is
  // The shipped name resolves to the override, not to the copy in the source tree.
  CHECK(resolve_data_path("inputs/data/gmm40_means.csv", "k") == (dir / "inputs/data/gmm40_means.csv").string());
  CHECK(read_csv(resolve_data_path("inputs/data/gmm40_means.csv", "k"), "k").rows.size() == 1);
  // A file in no folder: the error names the key, the file and every folder looked in.
  try {
    resolve_data_path("inputs/data/nope.csv", "target.file");
    FAIL("no error");
  } catch (const InputError& e) {
    const std::string m = e.what();
    CHECK(m.find("target.file") == 0);
    CHECK(m.find("nope.csv") != std::string::npos);
    CHECK(m.find(dir.string()) != std::string::npos);
    CHECK(m.find(BOLTZFLOW_SOURCE_DIR) != std::string::npos);
  }
  ::unsetenv("BOLTZFLOW_DATA_DIR");
  CHECK(resolve_data_path("inputs/data/gmm40_means.csv", "k") == std::string(BOLTZFLOW_SOURCE_DIR) + "/inputs/data/gmm40_means.csv");
  fs::current_path(cwd);
  fs::remove_all(dir);
}
