#include "boltzflow/io/H5Reader.hpp"

#include "boltzflow/core/Error.hpp"
#include "boltzflow/io/H5Check.hpp"

namespace boltzflow::io {

H5Reader::H5Reader(const Comm& comm, const std::string& path) : path_(path) {
  silence_hdf5();
  H5Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  H5Pset_fapl_mpio(fapl, comm.raw(), MPI_INFO_NULL);
  file_ = H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl);
  if (file_ < 0) throw InputError("cannot open HDF5 file '" + path + "'");
}

H5Reader::~H5Reader() {
  if (file_ >= 0) H5Fclose(file_);
}

bool H5Reader::exists(const std::string& name) const {
  // Check every path component: H5Lexists fails on a missing intermediate group.
  for (std::size_t pos = name.find('/', 1);; pos = name.find('/', pos + 1)) {
    const std::string part = name.substr(0, pos);
    if (H5Lexists(file_, part.c_str(), H5P_DEFAULT) <= 0) return false;
    if (pos == std::string::npos) return true;
  }
}

hid_t H5Reader::open_dataset(const std::string& name) const {
  if (!exists(name)) throw InputError("HDF5 file '" + path_ + "' has no dataset '" + name + "'");
  return h5check(H5Dopen2(file_, name.c_str(), H5P_DEFAULT), "H5Dopen", path_, name);
}

std::vector<hsize_t> H5Reader::dims(const std::string& name) const {
  H5Handle d(open_dataset(name), H5Dclose);
  H5Handle s(H5Dget_space(d), H5Sclose);
  const int r = H5Sget_simple_extent_ndims(s);
  std::vector<hsize_t> out(r > 0 ? r : 0);
  if (r > 0) H5Sget_simple_extent_dims(s, out.data(), nullptr);
  return out;
}

void H5Reader::read_into(const std::string& name, hid_t type, void* out) const {
  H5Handle d(open_dataset(name), H5Dclose);
  h5check(H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out), "H5Dread", path_, name);
}

std::vector<double> H5Reader::read_all_double(const std::string& name) const {
  hsize_t n = 1;
  for (auto x : dims(name)) n *= x;
  std::vector<double> v(n);
  if (n) read_into(name, H5T_NATIVE_DOUBLE, v.data());
  return v;
}

std::vector<std::int64_t> H5Reader::read_all_int64(const std::string& name) const {
  hsize_t n = 1;
  for (auto x : dims(name)) n *= x;
  std::vector<std::int64_t> v(n);
  if (n) read_into(name, H5T_NATIVE_INT64, v.data());
  return v;
}

Matrix<double, HostSpace> H5Reader::read_rows(const std::string& name, std::int64_t offset, std::int64_t count) const {
  const auto dd = dims(name);
  const hsize_t cols = dd.size() > 1 ? dd[1] : 1;
  if (dd.empty() || hsize_t(offset + count) > dd[0])
    throw InputError("HDF5 file '" + path_ + "': dataset '" + name + "' has fewer rows than requested");
  Matrix<double, HostSpace> out("read_rows", count, cols);
  H5Handle d(open_dataset(name), H5Dclose);
  H5Handle fs(H5Dget_space(d), H5Sclose);
  const hsize_t start[2] = {hsize_t(offset), 0}, cnt[2] = {hsize_t(count), cols};
  H5Handle ms(H5Screate_simple(static_cast<int>(dd.size()), cnt, nullptr), H5Sclose);
  if (count == 0) {
    H5Sselect_none(fs);
    H5Sselect_none(ms);
  } else {
    H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, nullptr, cnt, nullptr);
  }
  h5check(H5Dread(d, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, out.data()), "H5Dread", path_, name);
  return out;
}

std::string H5Reader::read_string(const std::string& name) const {
  H5Handle d(open_dataset(name), H5Dclose);
  H5Handle t(H5Dget_type(d), H5Tclose);
  std::string s(H5Tget_size(t), '\0');
  h5check(H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, s.data()), "H5Dread", path_, name);
  return s.substr(0, s.find('\0'));
}

namespace {
hid_t open_attribute(hid_t file, const std::string& path, const std::string& obj, const std::string& name) {
  if (H5Aexists_by_name(file, obj.c_str(), name.c_str(), H5P_DEFAULT) <= 0)
    throw InputError("HDF5 file '" + path + "' has no attribute '" + name + "' on '" + obj + "'");
  return H5Aopen_by_name(file, obj.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT);
}
}  // namespace

double H5Reader::attribute_double(const std::string& obj, const std::string& name) const {
  H5Handle a(open_attribute(file_, path_, obj, name), H5Aclose);
  double v = 0;
  h5check(H5Aread(a, H5T_NATIVE_DOUBLE, &v), "H5Aread", path_, obj + "@" + name);
  return v;
}
std::int64_t H5Reader::attribute_int64(const std::string& obj, const std::string& name) const {
  H5Handle a(open_attribute(file_, path_, obj, name), H5Aclose);
  std::int64_t v = 0;
  h5check(H5Aread(a, H5T_NATIVE_INT64, &v), "H5Aread", path_, obj + "@" + name);
  return v;
}
std::string H5Reader::attribute_string(const std::string& obj, const std::string& name) const {
  H5Handle a(open_attribute(file_, path_, obj, name), H5Aclose);
  H5Handle t(H5Aget_type(a), H5Tclose);
  std::string s(H5Tget_size(t), '\0');
  h5check(H5Aread(a, t, s.data()), "H5Aread", path_, obj + "@" + name);
  return s.substr(0, s.find('\0'));
}

}  // namespace boltzflow::io
