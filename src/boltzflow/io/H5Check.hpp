#pragma once
// One-line HDF5 error reporting: every call's result is checked, and a failure names the
// file and the object; HDF5's own error-stack printing is switched off.
#include <hdf5.h>

#include <stdexcept>
#include <string>

namespace boltzflow::io {

inline void silence_hdf5() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

template <class T>
T h5check(T result, const std::string& what, const std::string& file, const std::string& object) {
  if (result < 0) throw std::runtime_error("HDF5: " + what + " failed for '" + object + "' in file '" + file + "'");
  return result;
}

// Closes an HDF5 handle at scope exit (datasets, spaces, groups, property lists, attributes).
class H5Handle {
 public:
  H5Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  H5Handle(const H5Handle&) = delete;
  H5Handle& operator=(const H5Handle&) = delete;
  ~H5Handle() {
    if (id_ >= 0) close_(id_);
  }
  operator hid_t() const { return id_; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

}  // namespace boltzflow::io
