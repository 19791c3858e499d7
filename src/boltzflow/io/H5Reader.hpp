#pragma once
// Reading boltzflow's HDF5 files (restart, target parameters, tests): every rank opens the
// file read-only; whole small datasets are read on every rank, distributed rows by slice.
#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Types.hpp"

namespace boltzflow::io {

class H5Reader {
 public:
  H5Reader(const Comm& comm, const std::string& path);  // InputError naming an unreadable file
  ~H5Reader();
  H5Reader(const H5Reader&) = delete;
  H5Reader& operator=(const H5Reader&) = delete;

  bool exists(const std::string& name) const;
  std::vector<hsize_t> dims(const std::string& name) const;  // InputError naming a missing dataset
  std::vector<double> read_all_double(const std::string& name) const;
  std::vector<std::int64_t> read_all_int64(const std::string& name) const;
  // Rows [offset, offset + count) of an (N, d) or (N) dataset.
  Matrix<double, HostSpace> read_rows(const std::string& name, std::int64_t offset, std::int64_t count) const;
  std::string read_string(const std::string& name) const;
  double attribute_double(const std::string& object, const std::string& name) const;
  std::int64_t attribute_int64(const std::string& object, const std::string& name) const;
  std::string attribute_string(const std::string& object, const std::string& name) const;

 private:
  hid_t open_dataset(const std::string& name) const;
  void read_into(const std::string& name, hid_t type, void* out) const;
  std::string path_;
  hid_t file_ = -1;
};

}  // namespace boltzflow::io
