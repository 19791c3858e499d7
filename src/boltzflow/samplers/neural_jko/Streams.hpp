#pragma once
// Random streams of the neural JKO sampler (the numeric range 50-59 is reserved for it).
// They live here rather than in core/Rng.hpp so that the sampler adds no edits to a shared
// header; the values never collide with core's enum entries.
#include "boltzflow/core/Rng.hpp"

namespace boltzflow::neural_jko {

// Latent draws z ~ N(m, s²I) of the recursive sampler.
constexpr Stream stream_latent = static_cast<Stream>(50);
// Uniforms deciding acceptance in rejection steps.
constexpr Stream stream_accept = static_cast<Stream>(51);
// Minibatch selection while training a CNF step.
constexpr Stream stream_minibatch = static_cast<Stream>(52);
// Hutchinson probes of the training loss (when a stochastic divergence is chosen).
constexpr Stream stream_probes = static_cast<Stream>(53);

}  // namespace boltzflow::neural_jko
