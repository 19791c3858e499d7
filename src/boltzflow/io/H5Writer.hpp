#pragma once
// Parallel HDF5 output (one shared file, MPI-IO). Distributed datasets: each rank writes its
// rows at the offset given by an exclusive scan of the local counts, collectively; ranks with
// no rows still take part (H5Sselect_none). Replicated data is written by rank 0 inside the
// same collective calls. The file is created as <path>.tmp and renamed by commit(); a writer
// destroyed without commit removes the tmp file, so a failed run leaves no half-written file.
#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Types.hpp"

namespace boltzflow::io {

class H5Writer {
 public:
  H5Writer(const Comm& comm, const std::string& path);
  ~H5Writer();
  H5Writer(const H5Writer&) = delete;
  H5Writer& operator=(const H5Writer&) = delete;

  // Distributed rows: (N, d) or (N) datasets with N = Σ local rows.
  void write_rows(const std::string& name, const Matrix<double, HostSpace>& local);
  void write_rows(const std::string& name, const Vector<double, HostSpace>& local);
  void write_rows(const std::string& name, const Vector<std::int64_t, HostSpace>& local);
  void write_rows(const std::string& name, const Vector<int, HostSpace>& local);
  // Device (or any) Views: copied to a host View first.
  template <class View>
  void write_rows_from(const std::string& name, const View& v) {
    write_rows(name, Kokkos::create_mirror_view_and_copy(HostSpace(), v));
  }

  // Replicated: identical on all ranks, stored once.
  void write_array(const std::string& name, const std::vector<double>& values, const std::vector<hsize_t>& dims);
  void write_array(const std::string& name, const std::vector<std::int64_t>& values, const std::vector<hsize_t>& dims);
  void write_string(const std::string& name, const std::string& text);
  // Attributes on a group (created if needed) or dataset; "/" is the root.
  void attribute(const std::string& object, const std::string& name, double value);
  void attribute(const std::string& object, const std::string& name, std::int64_t value);
  void attribute(const std::string& object, const std::string& name, const std::string& value);
  // `name` here resolves to dataset `target` of the HDF5 file `file` (a path relative to this
  // file's directory), so readers of this file find data that lives in a file of its own.
  void external_link(const std::string& name, const std::string& file, const std::string& target);

  // A dataset with creation properties dcpl (e.g. chunked and compressed), for writers of
  // their own layout; the caller closes the returned id and writes with transfer().
  hid_t create_dataset(const std::string& name, hid_t type, const std::vector<hsize_t>& dims, hid_t dcpl);
  hid_t transfer() const { return xfer_; }  // collective (H5FD_MPIO_COLLECTIVE) transfer list

  void commit();  // close and rename <path>.tmp -> <path>
  const std::string& path() const { return path_; }

 private:
  void ensure_parent_groups(const std::string& name);
  hid_t object(const std::string& path);  // open or create group
  void write_distributed(const std::string& name, hid_t type, const void* data, std::int64_t local_rows,
                         std::int64_t cols, bool two_d);
  void write_replicated(const std::string& name, hid_t type, const void* data, const std::vector<hsize_t>& dims);

  const Comm& comm_;
  std::string path_, tmp_;
  hid_t file_ = -1;
  hid_t xfer_ = -1;  // collective transfer property list
  bool committed_ = false;
};

}  // namespace boltzflow::io
