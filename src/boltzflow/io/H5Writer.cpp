#include "boltzflow/io/H5Writer.hpp"

#include <cstdio>
#include <stdexcept>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/io/H5Check.hpp"

namespace boltzflow::io {

H5Writer::H5Writer(const Comm& comm, const std::string& path) : comm_(comm), path_(path), tmp_(path + ".tmp") {
  silence_hdf5();
  H5Handle fapl(h5check(H5Pcreate(H5P_FILE_ACCESS), "H5Pcreate", tmp_, "/"), H5Pclose);
  h5check(H5Pset_fapl_mpio(fapl, comm.raw(), MPI_INFO_NULL), "H5Pset_fapl_mpio", tmp_, "/");
  file_ = H5Fcreate(tmp_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
  // Creation is collective, so every rank sees the same result: an unwritable path is the
  // user's to fix and is reported by name.
  if (file_ < 0) throw InputError("cannot create output file '" + tmp_ + "'");
  xfer_ = h5check(H5Pcreate(H5P_DATASET_XFER), "H5Pcreate", tmp_, "/");
  h5check(H5Pset_dxpl_mpio(xfer_, H5FD_MPIO_COLLECTIVE), "H5Pset_dxpl_mpio", tmp_, "/");
}

H5Writer::~H5Writer() {
  if (xfer_ >= 0) H5Pclose(xfer_);
  if (file_ >= 0) H5Fclose(file_);
  if (!committed_) {
    comm_.barrier();
    if (comm_.root()) std::remove(tmp_.c_str());
  }
}

void H5Writer::commit() {
  H5Pclose(xfer_);
  xfer_ = -1;
  h5check(H5Fclose(file_), "H5Fclose", tmp_, "/");
  file_ = -1;
  comm_.barrier();
  int ok = 1;
  if (comm_.root()) ok = std::rename(tmp_.c_str(), path_.c_str()) == 0;
  MPI_Bcast(&ok, 1, MPI_INT, 0, comm_.raw());
  committed_ = true;
  if (!ok) throw std::runtime_error("cannot rename '" + tmp_ + "' to '" + path_ + "'");
}

hid_t H5Writer::object(const std::string& path) {
  if (path == "/") return H5Oopen(file_, "/", H5P_DEFAULT);
  ensure_parent_groups(path + "/x");
  return h5check(H5Oopen(file_, path.c_str(), H5P_DEFAULT), "H5Oopen", tmp_, path);
}

void H5Writer::ensure_parent_groups(const std::string& name) {
  for (std::size_t pos = name.find('/', 1); pos != std::string::npos; pos = name.find('/', pos + 1)) {
    const std::string g = name.substr(0, pos);
    if (H5Lexists(file_, g.c_str(), H5P_DEFAULT) > 0) continue;
    H5Handle h(h5check(H5Gcreate2(file_, g.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "H5Gcreate", tmp_, g),
               H5Gclose);
  }
}

void H5Writer::write_distributed(const std::string& name, hid_t type, const void* data, std::int64_t local_rows,
                                 std::int64_t cols, bool two_d) {
  ensure_parent_groups(name);
  const std::int64_t global = comm_.sum(local_rows), offset = comm_.exscan(local_rows);
  const int rank = two_d ? 2 : 1;
  const hsize_t gdims[2] = {hsize_t(global), hsize_t(cols)}, ldims[2] = {hsize_t(local_rows), hsize_t(cols)};
  const hsize_t start[2] = {hsize_t(offset), 0};
  H5Handle fspace(h5check(H5Screate_simple(rank, gdims, nullptr), "H5Screate", tmp_, name), H5Sclose);
  H5Handle dset(h5check(H5Dcreate2(file_, name.c_str(), type, fspace, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                        "H5Dcreate", tmp_, name),
                H5Dclose);
  if (global == 0) return;  // an empty dataset: nothing to write (decided alike on all ranks)
  // Ranks without rows select nothing but still join the collective write.
  const hsize_t one[2] = {1, 1};
  H5Handle mspace(h5check(H5Screate_simple(rank, local_rows > 0 ? ldims : one, nullptr), "H5Screate", tmp_, name),
                  H5Sclose);
  if (local_rows > 0) {
    h5check(H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start, nullptr, ldims, nullptr), "H5Sselect_hyperslab", tmp_,
            name);
  } else {
    H5Sselect_none(fspace);
    H5Sselect_none(mspace);
  }
  h5check(H5Dwrite(dset, type, mspace, fspace, xfer_, data), "H5Dwrite", tmp_, name);
}

hid_t H5Writer::create_dataset(const std::string& name, hid_t type, const std::vector<hsize_t>& dims, hid_t dcpl) {
  ensure_parent_groups(name);
  H5Handle space(h5check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), "H5Screate", tmp_, name),
                 H5Sclose);
  return h5check(H5Dcreate2(file_, name.c_str(), type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), "H5Dcreate", tmp_, name);
}

void H5Writer::external_link(const std::string& name, const std::string& file, const std::string& target) {
  ensure_parent_groups(name);
  h5check(H5Lcreate_external(file.c_str(), target.c_str(), file_, name.c_str(), H5P_DEFAULT, H5P_DEFAULT),
          "H5Lcreate_external", tmp_, name);
}

void H5Writer::write_replicated(const std::string& name, hid_t type, const void* data, const std::vector<hsize_t>& dims) {
  ensure_parent_groups(name);
  H5Handle fspace(h5check(dims.empty() ? H5Screate(H5S_SCALAR)
                                       : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                          "H5Screate", tmp_, name),
                  H5Sclose);
  H5Handle dset(h5check(H5Dcreate2(file_, name.c_str(), type, fspace, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                        "H5Dcreate", tmp_, name),
                H5Dclose);
  hsize_t n = 1;
  for (auto d : dims) n *= d;
  if (n == 0) return;  // an empty dataset (e.g. a series of a run with no steps): nothing to write, same on all ranks
  H5Handle mspace(h5check(dims.empty() ? H5Screate(H5S_SCALAR)
                                       : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                          "H5Screate", tmp_, name),
                  H5Sclose);
  if (!comm_.root()) {  // rank 0 writes the whole array; the others take part with nothing
    H5Sselect_none(fspace);
    H5Sselect_none(mspace);
  }
  h5check(H5Dwrite(dset, type, mspace, fspace, xfer_, data), "H5Dwrite", tmp_, name);
}

void H5Writer::write_rows(const std::string& name, const Matrix<double, HostSpace>& local) {
  write_distributed(name, H5T_NATIVE_DOUBLE, local.data(), local.extent(0), local.extent(1), true);
}
void H5Writer::write_rows(const std::string& name, const Vector<double, HostSpace>& local) {
  write_distributed(name, H5T_NATIVE_DOUBLE, local.data(), local.extent(0), 1, false);
}
void H5Writer::write_rows(const std::string& name, const Vector<std::int64_t, HostSpace>& local) {
  write_distributed(name, H5T_NATIVE_INT64, local.data(), local.extent(0), 1, false);
}
void H5Writer::write_rows(const std::string& name, const Vector<int, HostSpace>& local) {
  write_distributed(name, H5T_NATIVE_INT, local.data(), local.extent(0), 1, false);
}

void H5Writer::write_array(const std::string& name, const std::vector<double>& v, const std::vector<hsize_t>& dims) {
  write_replicated(name, H5T_NATIVE_DOUBLE, v.data(), dims);
}
void H5Writer::write_array(const std::string& name, const std::vector<std::int64_t>& v,
                           const std::vector<hsize_t>& dims) {
  write_replicated(name, H5T_NATIVE_INT64, v.data(), dims);
}

namespace {
// Fixed-length strings: parallel HDF5 cannot write variable-length data collectively.
hid_t string_type(std::size_t n) {
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, n > 0 ? n : 1);
  H5Tset_strpad(t, H5T_STR_NULLPAD);
  H5Tset_cset(t, H5T_CSET_UTF8);
  return t;
}
}  // namespace

void H5Writer::write_string(const std::string& name, const std::string& text) {
  H5Handle type(string_type(text.size()), H5Tclose);
  const std::string padded = text.empty() ? std::string(1, '\0') : text;
  write_replicated(name, type, padded.data(), {});
}

void H5Writer::attribute(const std::string& obj, const std::string& name, double value) {
  H5Handle o(object(obj), H5Oclose);
  H5Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  H5Handle a(h5check(H5Acreate2(o, name.c_str(), H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT), "H5Acreate",
                     tmp_, obj + "@" + name),
             H5Aclose);
  h5check(H5Awrite(a, H5T_NATIVE_DOUBLE, &value), "H5Awrite", tmp_, obj + "@" + name);
}
void H5Writer::attribute(const std::string& obj, const std::string& name, std::int64_t value) {
  H5Handle o(object(obj), H5Oclose);
  H5Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  H5Handle a(h5check(H5Acreate2(o, name.c_str(), H5T_NATIVE_INT64, space, H5P_DEFAULT, H5P_DEFAULT), "H5Acreate",
                     tmp_, obj + "@" + name),
             H5Aclose);
  h5check(H5Awrite(a, H5T_NATIVE_INT64, &value), "H5Awrite", tmp_, obj + "@" + name);
}
void H5Writer::attribute(const std::string& obj, const std::string& name, const std::string& value) {
  H5Handle o(object(obj), H5Oclose);
  H5Handle type(string_type(value.size()), H5Tclose);
  H5Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  H5Handle a(h5check(H5Acreate2(o, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), "H5Acreate", tmp_,
                     obj + "@" + name),
             H5Aclose);
  const std::string padded = value.empty() ? std::string(1, '\0') : value;
  h5check(H5Awrite(a, type, padded.data()), "H5Awrite", tmp_, obj + "@" + name);
}

}  // namespace boltzflow::io
