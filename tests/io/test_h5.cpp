#include <cstdio>
#include <fstream>
#include <sstream>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Error.hpp"
#include "boltzflow/io/H5Reader.hpp"
#include "boltzflow/io/H5Writer.hpp"
#include "boltzflow/io/Xdmf.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;

namespace {
bool file_exists(const std::string& p) { return std::ifstream(p).good(); }
// Value of global row i, column j: independent of the decomposition.
double value(std::int64_t i, std::int64_t j) { return 1000.0 * i + j + 0.25; }
}  // namespace

TEST_CASE("distributed rows round-trip with uneven and empty ranks", "[io][mpi]") {
  Comm comm;
  const int p = comm.size(), r = comm.rank();
  const std::string path = "io_rows_np" + std::to_string(p) + ".h5";
  // Rank r holds 3r rows (rank 0 holds none), then a case where the last rank holds none.
  for (int layout = 0; layout < 2; ++layout) {
    const std::int64_t local = layout == 0 ? 3 * r : (r == p - 1 ? 0 : 4 + r);
    const std::int64_t offset = comm.exscan(local), global = comm.sum(local);
    Matrix<double, HostSpace> x("x", local, 3);
    Vector<double, HostSpace> u("u", local);
    Vector<std::int64_t, HostSpace> id("id", local);
    for (std::int64_t i = 0; i < local; ++i) {
      for (int j = 0; j < 3; ++j) x(i, j) = value(offset + i, j);
      u(i) = -value(offset + i, 0);
      id(i) = offset + i;
    }
    {
      io::H5Writer w(comm, path);
      w.write_rows("/samples/x", x);
      w.write_rows("/samples/U", u);
      w.write_rows("/samples/id", id);
      w.write_array("/target/means", std::vector<double>{1, 2, 3, 4, 5, 6}, {2, 3});
      w.write_string("/config/deck", "[run]\nseed = 1\n");
      w.attribute("/meta", "ranks", std::int64_t(p));
      w.attribute("/metrics", "ed", 0.125);
      w.attribute("/", "version", std::string("0.1.0"));
      w.commit();
    }
    REQUIRE(file_exists(path));
    CHECK_FALSE(file_exists(path + ".tmp"));
    io::H5Reader rd(comm, path);
    CHECK(rd.dims("/samples/x") == std::vector<hsize_t>{hsize_t(global), 3});
    const auto all = rd.read_all_double("/samples/x");
    int wrong = 0;
    for (std::int64_t i = 0; i < global; ++i)
      for (int j = 0; j < 3; ++j) wrong += all[3 * i + j] != value(i, j);
    CHECK(wrong == 0);
    const auto ids = rd.read_all_int64("/samples/id");
    for (std::int64_t i = 0; i < global; ++i) wrong += ids[i] != i;
    CHECK(wrong == 0);
    const auto mine = rd.read_rows("/samples/x", offset, local);
    for (std::int64_t i = 0; i < local; ++i) wrong += mine(i, 2) != x(i, 2);
    CHECK(wrong == 0);
    CHECK(rd.read_all_double("/target/means")[5] == 6.0);
    CHECK(rd.read_string("/config/deck") == "[run]\nseed = 1\n");
    CHECK(rd.attribute_int64("/meta", "ranks") == p);
    CHECK(rd.attribute_double("/metrics", "ed") == 0.125);
    CHECK(rd.attribute_string("/", "version") == "0.1.0");
  }
  comm.barrier();
  if (comm.root()) std::remove(path.c_str());
}

TEST_CASE("a writer destroyed without commit leaves no file", "[io][mpi]") {
  Comm comm;
  const std::string path = "io_abort_np" + std::to_string(comm.size()) + ".h5";
  {
    io::H5Writer w(comm, path);
    w.write_array("/a", std::vector<double>{1.0}, {1});
    comm.barrier();
    CHECK(file_exists(path + ".tmp"));
  }
  comm.barrier();
  CHECK_FALSE(file_exists(path + ".tmp"));
  CHECK_FALSE(file_exists(path));
}

TEST_CASE("missing files and datasets are named in the error", "[io]") {
  Comm comm;
  CHECK_THROWS_WITH(io::H5Reader(comm, "no_such_file.h5"), Catch::Contains("no_such_file.h5"));
  CHECK_THROWS_AS(io::H5Writer(comm, "no/such/dir/out.h5"), InputError);
  const std::string path = "io_missing.h5";
  {
    io::H5Writer w(comm, path);
    w.write_array("/a", std::vector<double>{1.0}, {1});
    w.commit();
  }
  io::H5Reader rd(comm, path);
  CHECK_THROWS_WITH(rd.read_all_double("/group/b"), Catch::Contains("/group/b") && Catch::Contains(path));
  CHECK_FALSE(rd.exists("/group/b"));
  CHECK(rd.exists("/a"));
  comm.barrier();
  if (comm.root()) std::remove(path.c_str());
}

TEST_CASE("XDMF sidecar references the sample dataset", "[io]") {
  io::write_xdmf("io_test.xmf", "io_test.h5", 123, 5, "/samples/x", {"/samples/U"});
  std::ifstream f("io_test.xmf");
  std::stringstream s;
  s << f.rdbuf();
  const auto t = s.str();
  CHECK(t.find("NumberOfElements=\"123\"") != std::string::npos);
  CHECK(t.find("io_test.h5:/samples/x") != std::string::npos);
  CHECK(t.find("GeometryType=\"XYZ\"") != std::string::npos);
  CHECK(t.find("Dimensions=\"123 5\"") != std::string::npos);
  CHECK(t.find("Name=\"U\"") != std::string::npos);
  CHECK(t.rfind("</Xdmf>") != std::string::npos);
  std::remove("io_test.xmf");
}
