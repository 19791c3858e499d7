// The trajectory XDMF sidecar: one grid per frame whose HyperSlab, applied to the HDF5 dataset
// as XDMF defines it (start, stride, count per dimension), yields that frame's positions.
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/io/H5Reader.hpp"
#include "boltzflow/io/H5Writer.hpp"
#include "boltzflow/io/TrajectoryXdmf.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;

namespace {
// Coordinate j of particle i at frame f: distinct for every (i, f, j).
double value(std::int64_t i, std::int64_t f, std::int64_t j) { return 1000.0 * i + 10.0 * f + j + 0.5; }

std::string slurp(const std::string& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST_CASE("trajectory XDMF selects each frame of the (n, frames, d) dataset", "[io][xdmf]") {
  Comm comm;
  for (const int d : {2, 3, 5}) {
    const std::int64_t n = 4, frames = 6;
    const int g = d >= 3 ? 3 : 2;
    const std::string h5 = "traj_xdmf_d" + std::to_string(d) + ".h5", xmf = "traj_xdmf_d" + std::to_string(d) + ".xmf";
    std::vector<double> data;
    for (std::int64_t i = 0; i < n; ++i)
      for (std::int64_t f = 0; f < frames; ++f)
        for (int j = 0; j < d; ++j) data.push_back(value(i, f, j));
    {
      io::H5Writer w(comm, h5);
      w.write_array("/trajectories/x", data, {hsize_t(n), hsize_t(frames), hsize_t(d)});
      w.commit();
    }
    std::vector<double> times;
    for (std::int64_t f = 0; f < frames; ++f) times.push_back(0.25 * f);
    if (comm.root()) io::write_trajectory_xdmf(xmf, h5, {"/trajectories/x", n, frames, d, times});
    comm.barrier();
    const std::string text = slurp(xmf);
    CHECK_FALSE(std::ifstream(xmf + ".tmp").good());
    CHECK(text.find("GridType=\"Collection\" CollectionType=\"Temporal\"") != std::string::npos);

    // Every HyperSlab: its source dimensions, its (start, stride, count) rows and its time.
    const std::regex grid_re("<Grid Name=\"frame_(\\d+)\"[^>]*>\\s*<Time Value=\"([^\"]+)\"/>[\\s\\S]*?"
                             "GeometryType=\"(\\w+)\"[\\s\\S]*?Format=\"XML\">([^<]*)</DataItem>\\s*"
                             "<DataItem Dimensions=\"(\\d+) (\\d+) (\\d+)\"[^>]*Format=\"HDF\">([^<]*)</DataItem>");
    io::H5Reader rd(comm, h5);
    const auto all = rd.read_all_double("/trajectories/x");
    std::int64_t grids = 0;
    int wrong = 0;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), grid_re); it != std::sregex_iterator(); ++it, ++grids) {
      const auto& m = *it;
      const std::int64_t f = std::stoll(m[1]);
      CHECK(f == grids);
      CHECK(std::stod(m[2]) == times[f]);
      CHECK(m[3] == (g == 2 ? "XY" : "XYZ"));
      CHECK(std::vector<std::int64_t>{std::stoll(m[5]), std::stoll(m[6]), std::stoll(m[7])} ==
            std::vector<std::int64_t>{n, frames, d});
      CHECK(m[8] == h5 + ":/trajectories/x");
      std::istringstream slab(m[4]);
      std::int64_t start[3], stride[3], count[3];
      for (auto& v : start) slab >> v;
      for (auto& v : stride) slab >> v;
      for (auto& v : count) slab >> v;
      REQUIRE(count[0] * count[1] * count[2] == n * g);  // one g-vector per particle
      // Apply the slab to the file's data, row-major as XDMF does, and compare with frame f.
      std::vector<double> got;
      for (std::int64_t a = 0; a < count[0]; ++a)
        for (std::int64_t b = 0; b < count[1]; ++b)
          for (std::int64_t c = 0; c < count[2]; ++c) {
            const auto i = start[0] + a * stride[0], fr = start[1] + b * stride[1], j = start[2] + c * stride[2];
            REQUIRE((i < n && fr < frames && j < d));
            got.push_back(all[(i * frames + fr) * d + j]);
          }
      for (std::int64_t i = 0; i < n; ++i)
        for (int j = 0; j < g; ++j) wrong += got[i * g + j] != value(i, f, j);
    }
    CHECK(grids == frames);
    CHECK(wrong == 0);
  }
}

TEST_CASE("trajectory XDMF refuses what ParaView cannot draw", "[io][xdmf]") {
  CHECK_FALSE(io::drawable({"/trajectories/x", 4, 3, 1, {}}));  // 1-D paths
  CHECK_FALSE(io::drawable({"/trajectories/x", 0, 3, 2, {}}));  // no particles
  CHECK(io::drawable({"/trajectories/x", 4, 3, 2, {}}));
  CHECK_THROWS_AS(io::write_trajectory_xdmf("never.xmf", "a.h5", {"/trajectories/x", 4, 3, 1, {}}),
                  std::invalid_argument);
  CHECK_THROWS_AS(io::write_trajectory_xdmf("never.xmf", "a.h5", {"/trajectories/x", 4, 3, 2, {0.0, 1.0}}),
                  std::invalid_argument);
  CHECK_THROWS_AS(io::write_trajectory_xdmf("never.xmf", "a.h5", {"/trajectories/x", 4, 3, 2, {1.0, 0.5, 0.0}}),
                  std::invalid_argument);
  CHECK_FALSE(std::ifstream("never.xmf").good());
}
