#pragma once
// Random streams of the Fisher–Rao sampler (values 20–29 of core/Rng.hpp's Stream, the range
// assigned to this module; declared here so core/Rng.hpp stays untouched).
#include "boltzflow/core/Rng.hpp"

namespace boltzflow::fisher_rao {

constexpr Stream stream_time = static_cast<Stream>(20);        // collocation times (per time group)
constexpr Stream stream_box = static_cast<Stream>(21);         // box points y of the box-OU collocation
constexpr Stream stream_ou_noise = static_cast<Stream>(22);    // OU noise ε of the box-OU collocation
constexpr Stream stream_trajectory = static_cast<Stream>(23);  // base draws starting the collocation trajectories
constexpr Stream stream_sample = static_cast<Stream>(24);      // base draws of the final samples

}  // namespace boltzflow::fisher_rao
