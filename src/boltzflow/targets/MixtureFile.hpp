#pragma once
// Gaussian mixtures from a file (deck key target.file):
// - HDF5 (detected by content), read-only through the plain C API: datasets "weights" (K) or
//   (K, 1), "means" (K, d), and either "sigmas" (1, K, (K, 1) or (K, d) standard deviations)
//   or "covariances" ((K, d, d) or (K, d*d)) — the layout GaussianMixture::parameters() writes;
// - otherwise CSV with a header line and rows "weight, sigma, mu_0, ..., mu_{d-1}".
// A missing file or dataset, or inconsistent shapes, is an InputError naming it.
#include <string>

#include "boltzflow/targets/GaussianMixture.hpp"

namespace boltzflow {

// d = 0: take the dimension from the file; otherwise the file must match it.
GaussianMixture read_mixture_file(const std::string& path, int d = 0);

}  // namespace boltzflow
