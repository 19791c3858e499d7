#include "boltzflow/targets/MixtureFile.hpp"

#include <hdf5.h>

#include <fstream>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/io/H5Check.hpp"
#include "boltzflow/targets/Csv.hpp"

namespace boltzflow {

namespace {
const std::string key = "target.file";

// HDF5's automatic error printing off for this scope (restored after), so a failure is our one line.
class QuietHdf5 {
 public:
  QuietHdf5() {
    H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  ~QuietHdf5() { H5Eset_auto2(H5E_DEFAULT, func_, data_); }

 private:
  H5E_auto2_t func_ = nullptr;
  void* data_ = nullptr;
};

struct Dataset {
  std::vector<hsize_t> dims;
  std::vector<double> values;
};

Dataset read_dataset(hid_t file, const std::string& path, const std::string& name) {
  const auto fail = [&](const std::string& why) {
    return InputError(key + " = '" + path + "': dataset '" + name + "' " + why);
  };
  if (H5Lexists(file, name.c_str(), H5P_DEFAULT) <= 0) throw fail("is missing");
  io::H5Handle set(H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose);
  if (set < 0) throw fail("cannot be opened");
  io::H5Handle space(H5Dget_space(set), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space);
  if (rank < 0 || rank > 3) throw fail("has an unsupported rank");
  Dataset out;
  out.dims.resize(rank);
  if (rank > 0) H5Sget_simple_extent_dims(space, out.dims.data(), nullptr);
  hsize_t n = 1;
  for (hsize_t v : out.dims) n *= v;
  out.values.resize(n);
  if (n > 0 && H5Dread(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.values.data()) < 0)
    throw fail("cannot be read as numbers");
  return out;
}

GaussianMixture from_hdf5(const std::string& path, int d_want) {
  const QuietHdf5 quiet;
  io::H5Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (file < 0) throw InputError(key + ": cannot open HDF5 file '" + path + "'");
  const auto w = read_dataset(file, path, "weights");
  const auto mu = read_dataset(file, path, "means");
  const std::size_t K = w.values.size();
  if (w.dims.empty() || w.dims.size() > 2 || (w.dims.size() == 2 && w.dims[1] != 1))
    throw InputError(key + " = '" + path + "': dataset 'weights' must have shape (K) or (K, 1)");
  if (mu.dims.size() != 2 || mu.dims[0] != K)
    throw InputError(key + " = '" + path + "': dataset 'means' must have shape (K, d) with K = " + std::to_string(K));
  const int d = static_cast<int>(mu.dims[1]);
  if (d_want > 0 && d != d_want)
    throw InputError("target.dim = " + std::to_string(d_want) + " does not match the " + std::to_string(d) +
                     "-dimensional means in '" + path + "'");
  const bool has_cov = H5Lexists(file, "covariances", H5P_DEFAULT) > 0;
  const bool has_sig = H5Lexists(file, "sigmas", H5P_DEFAULT) > 0;
  if (has_cov == has_sig)
    throw InputError(key + " = '" + path + "': needs exactly one of the datasets 'sigmas' and 'covariances'");
  try {
    if (has_cov) {
      const auto c = read_dataset(file, path, "covariances");
      const bool ok = c.dims.size() >= 2 && c.dims[0] == K &&
                      ((c.dims.size() == 3 && c.dims[1] == hsize_t(d) && c.dims[2] == hsize_t(d)) ||
                       (c.dims.size() == 2 && c.dims[1] == hsize_t(d) * d));
      if (!ok) throw InputError("dataset 'covariances' must have shape (K, d, d) or (K, d*d)");
      return GaussianMixture("gmm", d, w.values, mu.values, {}, c.values);
    }
    const auto s = read_dataset(file, path, "sigmas");
    const bool ok = s.values.size() == 1 || s.values.size() == K || (s.dims.size() == 2 && s.dims[0] == K && s.dims[1] == hsize_t(d));
    if (!ok) throw InputError("dataset 'sigmas' must have shape (1), (K), (K, 1) or (K, d)");
    return GaussianMixture::isotropic("gmm", d, w.values, mu.values, s.values);
  } catch (const InputError& e) {
    const std::string what = e.what();
    if (what.rfind(key, 0) == 0) throw;
    throw InputError(key + " = '" + path + "': " + what);  // name the file, not the deck lists
  }
}

GaussianMixture from_csv(const std::string& path, int d_want) {
  const auto t = read_csv(path, key);
  if (t.rows.empty()) throw InputError(key + " = '" + path + "': no components");
  const int d = static_cast<int>(t.rows[0].size()) - 2;
  if (d < 1) throw InputError(key + " = '" + path + "': rows need 'weight, sigma, mu_0, ..., mu_{d-1}'");
  if (d_want > 0 && d != d_want)
    throw InputError("target.dim = " + std::to_string(d_want) + " does not match the " + std::to_string(d) +
                     "-dimensional means in '" + path + "'");
  std::vector<double> w, sig, mu;
  for (const auto& r : t.rows) {
    w.push_back(r[0]);
    sig.push_back(r[1]);
    mu.insert(mu.end(), r.begin() + 2, r.end());
  }
  try {
    return GaussianMixture::isotropic("gmm", d, w, mu, sig);
  } catch (const InputError& e) {
    throw InputError(key + " = '" + path + "': " + e.what());
  }
}
}  // namespace

GaussianMixture read_mixture_file(const std::string& path, int d) {
  if (!std::ifstream(path).good()) throw InputError(key + ": cannot read '" + path + "'");
  htri_t is_h5;
  {
    const QuietHdf5 quiet;
    is_h5 = H5Fis_hdf5(path.c_str());
  }
  return is_h5 > 0 ? from_hdf5(path, d) : from_csv(path, d);
}

}  // namespace boltzflow
