// The streamed trajectory file: frames written collectively one at a time (also by ranks
// without rows) land at the right rows; the whole array, one particle's path and one time
// slice read back exactly; the dataset is chunked (chunk_rows, 1, d) and shuffle + deflate
// compressed; a writer that is not committed leaves nothing behind.
#include <hdf5.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <vector>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/io/H5Reader.hpp"
#include "boltzflow/io/H5Writer.hpp"
#include "boltzflow/io/TrajectoryWriter.hpp"
#include "catch_compat.hpp"

using namespace boltzflow;

namespace {

// The known pattern: particle g, frame f, coordinate k.
double pattern(std::int64_t g, std::int64_t f, std::int64_t k) { return double(g) + 0.001 * double(f) + 1e-6 * double(k); }

bool exists(const std::string& p) { return std::ifstream(p).good(); }

// A (count) hyperslab of a 3-D dataset, read serially with the plain HDF5 API.
std::vector<double> read_slab(const std::string& file, const char* name, const hsize_t start[3], const hsize_t count[3]) {
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t ds = H5Dopen2(f, name, H5P_DEFAULT);
  const hid_t fs = H5Dget_space(ds);
  H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, nullptr, count, nullptr);
  const hid_t ms = H5Screate_simple(3, count, nullptr);
  std::vector<double> v(count[0] * count[1] * count[2], -1.0);
  const herr_t rc = H5Dread(ds, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, v.data());
  H5Sclose(ms);
  H5Sclose(fs);
  H5Dclose(ds);
  H5Fclose(f);
  if (rc < 0) throw std::runtime_error("read_slab failed");
  return v;
}

struct Storage {
  std::vector<hsize_t> chunk;
  std::vector<H5Z_filter_t> filters;
  hsize_t bytes = 0;  // allocated storage of the dataset
};
Storage storage(const std::string& file, const char* name) {
  Storage s;
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t ds = H5Dopen2(f, name, H5P_DEFAULT);
  const hid_t dcpl = H5Dget_create_plist(ds);
  if (H5Pget_layout(dcpl) == H5D_CHUNKED) {
    s.chunk.resize(3);
    H5Pget_chunk(dcpl, 3, s.chunk.data());
  }
  for (int i = 0; i < H5Pget_nfilters(dcpl); ++i) {
    unsigned flags = 0, info = 0;
    std::size_t nvals = 0;
    s.filters.push_back(H5Pget_filter2(dcpl, unsigned(i), &flags, &nvals, nullptr, 0, nullptr, &info));
  }
  s.bytes = H5Dget_storage_size(ds);
  H5Pclose(dcpl);
  H5Dclose(ds);
  H5Fclose(f);
  return s;
}

}  // namespace

TEST_CASE("trajectory writer streams frames into a chunked, compressed (N, frames, d) dataset", "[io][mpi]") {
  Comm comm;
  const int d = 3, frames = 5;
  const std::int64_t n = 25000;  // > 256 KiB / (8 d) = 10922 rows: three chunks per frame
  // Layouts: even split; all rows on the last rank (rank 0 empty when there are several).
  for (const bool first_empty : {false, true}) {
    const std::int64_t share = first_empty && comm.size() > 1 ? n / (comm.size() - 1) : n / comm.size();
    std::int64_t local = first_empty && comm.size() > 1 && comm.rank() == 0 ? 0 : share;
    if (comm.rank() == comm.size() - 1) local = n - share * (first_empty && comm.size() > 1 ? comm.size() - 2 : comm.size() - 1);
    const std::int64_t offset = comm.exscan(local);
    const std::string path = "traj_writer_" + std::to_string(comm.size()) + (first_empty ? "_empty.h5" : "_even.h5");
    std::vector<double> times;
    for (int f = 0; f < frames; ++f) times.push_back(0.5 * f);
    std::int64_t chunk_rows = 0;
    {
      io::TrajectoryWriter w(comm, path, local, d, times);
      chunk_rows = w.chunk_rows();
      CHECK(w.rows() == n);
      CHECK(w.compressed());
      HostParticles frame("frame", local, d);
      for (int f = 0; f < frames; ++f) {
        for (std::int64_t i = 0; i < local; ++i)
          for (int k = 0; k < d; ++k) frame(i, k) = pattern(offset + i, f, k);
        w.write_frame(f, frame);
      }
      CHECK(w.collective());
      const auto t = w.layout();
      CHECK(t.n == n);
      CHECK(t.frames == frames);
      CHECK(t.file == path);  // no directory here
      CHECK(t.dataset == "/trajectories/x");
      w.commit();
    }
    CHECK(chunk_rows == 8334);  // 25000 rows in three equal chunks of at most 10922
    REQUIRE(exists(path));
    CHECK_FALSE(exists(path + ".tmp"));

    io::H5Reader r(comm, path);
    CHECK(r.dims("/trajectories/x") == std::vector<hsize_t>{hsize_t(n), hsize_t(frames), hsize_t(d)});
    CHECK(r.read_all_double("/trajectories/times") == times);
    const auto all = r.read_all_double("/trajectories/x");
    long wrong = 0;
    for (std::int64_t g = 0; g < n; ++g)
      for (int f = 0; f < frames; ++f)
        for (int k = 0; k < d; ++k) wrong += all[(g * frames + f) * d + k] != pattern(g, f, k);
    CHECK(wrong == 0);

    // One particle's path (at a rank boundary and inside a chunk) and one time slice.
    for (const std::int64_t g : {std::int64_t(0), n / 2, n / 2 + 1, n - 1}) {
      const hsize_t start[3] = {hsize_t(g), 0, 0}, count[3] = {1, hsize_t(frames), hsize_t(d)};
      const auto path_g = read_slab(path, "/trajectories/x", start, count);
      long bad = 0;
      for (int f = 0; f < frames; ++f)
        for (int k = 0; k < d; ++k) bad += path_g[f * d + k] != pattern(g, f, k);
      CHECK(bad == 0);
    }
    {
      const hsize_t start[3] = {0, 3, 0}, count[3] = {hsize_t(n), 1, hsize_t(d)};
      const auto slice = read_slab(path, "/trajectories/x", start, count);
      long bad = 0;
      for (std::int64_t g = 0; g < n; ++g)
        for (int k = 0; k < d; ++k) bad += slice[g * d + k] != pattern(g, 3, k);
      CHECK(bad == 0);
    }

    // Layout: chunks of (chunk_rows, 1, d), shuffle then deflate, and smaller than the raw array
    // (the pattern's high bytes repeat).
    const auto s = storage(path, "/trajectories/x");
    CHECK(s.chunk == std::vector<hsize_t>{hsize_t(chunk_rows), 1, hsize_t(d)});
    CHECK(s.filters == std::vector<H5Z_filter_t>{H5Z_FILTER_SHUFFLE, H5Z_FILTER_DEFLATE});
    INFO("stored " << s.bytes << " bytes of " << n * frames * d * 8);
    CHECK(s.bytes < hsize_t(n * frames * d * 8) / 2);
    comm.barrier();
    if (comm.root()) std::remove(path.c_str());
  }
}

TEST_CASE("trajectory writer without compression, misuse, and no file without commit", "[io][mpi]") {
  Comm comm;
  const int d = 2;
  const std::int64_t local = comm.rank() == 0 ? 3 : 0;  // the other ranks hold nothing
  const std::string path = "traj_writer_plain_" + std::to_string(comm.size()) + ".h5";
  {
    io::TrajectoryWriter w(comm, path, local, d, {0.0, 1.0}, 0);
    CHECK_FALSE(w.compressed());
    CHECK(w.chunk_rows() == 3);  // never more than N
    HostParticles frame("frame", local, d), wrong_shape("wrong", local + 1, d);
    for (std::int64_t i = 0; i < local; ++i)
      for (int k = 0; k < d; ++k) frame(i, k) = pattern(i, 1, k);
    CHECK_THROWS_AS(w.write_frame(2, frame), std::logic_error);  // no frame 2
    CHECK_THROWS_AS(w.write_frame(0, wrong_shape), std::logic_error);
    w.write_frame(1, frame);
    CHECK_THROWS_AS(w.write_frame(1, frame), std::logic_error);  // twice
    CHECK_THROWS_AS(w.commit(), std::logic_error);               // frame 0 missing
    CHECK(exists(path + ".tmp"));
  }  // destroyed without commit
  comm.barrier();
  CHECK_FALSE(exists(path + ".tmp"));
  CHECK_FALSE(exists(path));
  CHECK_THROWS_AS(io::TrajectoryWriter(comm, path, 0, d, {0.0}), std::invalid_argument);  // N = 0
  comm.barrier();
  CHECK_FALSE(exists(path + ".tmp"));

  // Uncompressed: contiguous chunks, no filters, same values.
  {
    io::TrajectoryWriter w(comm, path, local, d, {0.0, 1.0}, 0);
    HostParticles frame("frame", local, d);
    for (int f = 0; f < 2; ++f) {
      for (std::int64_t i = 0; i < local; ++i)
        for (int k = 0; k < d; ++k) frame(i, k) = pattern(i, f, k);
      w.write_frame(f, frame);
    }
    w.commit();
  }
  const auto s = storage(path, "/trajectories/x");
  CHECK(s.filters.empty());
  io::H5Reader r(comm, path);
  const auto all = r.read_all_double("/trajectories/x");
  REQUIRE(all.size() == 12);
  CHECK(all[(2 * 2 + 1) * 2 + 1] == pattern(2, 1, 1));
  comm.barrier();
  if (comm.root()) std::remove(path.c_str());
}

TEST_CASE("an external link makes another file's dataset readable under a local name", "[io][mpi]") {
  Comm comm;
  const std::string data = "traj_link_data_" + std::to_string(comm.size()) + ".h5",
                    main = "traj_link_main_" + std::to_string(comm.size()) + ".h5";
  {
    io::H5Writer w(comm, data);
    w.write_array("/trajectories/x", std::vector<double>{1.0, 2.0, 3.0, 4.0}, {1, 2, 2});
    w.commit();
  }
  {
    io::H5Writer w(comm, main);
    w.external_link("/trajectories/x", data, "/trajectories/x");
    w.attribute("/trajectories", "steps_per_block", std::int64_t(3));
    w.commit();
  }
  io::H5Reader r(comm, main);
  CHECK(r.dims("/trajectories/x") == std::vector<hsize_t>{1, 2, 2});
  CHECK(r.read_all_double("/trajectories/x") == std::vector<double>{1.0, 2.0, 3.0, 4.0});
  CHECK(r.attribute_int64("/trajectories", "steps_per_block") == 3);
  comm.barrier();
  if (comm.root()) {
    std::remove(data.c_str());
    std::remove(main.c_str());
  }
}
