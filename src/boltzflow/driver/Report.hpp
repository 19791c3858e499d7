#pragma once
// End-of-run metrics of a sample set: distances to exact target samples, mode weights,
// importance weights (ESS, log Z), MCMC acceptance and autocorrelation.
#include <string>
#include <utility>
#include <vector>

#include "boltzflow/config/Options.hpp"
#include "boltzflow/core/Comm.hpp"
#include "boltzflow/samplers/Sampler.hpp"
#include "boltzflow/targets/Target.hpp"

namespace boltzflow {

struct Report {
  std::vector<std::pair<std::string, double>> values;  // name -> value, in print order
  std::vector<double> mode_weights, exact_mode_weights;
  Vector<int> labels;  // this rank's mode label per sample (empty: target has no modes)
  void add(const std::string& name, double v) { values.emplace_back(name, v); }
  std::string text() const;
};

// The sampler's own scalars (timings, acceptance, ...) and the sample count: /metrics when
// metrics.enabled = false.
Report sampler_scalars(const SampleSet& s);

Report compute_report(const Comm& comm, const config::Options& opts, const Target& target, const SampleSet& s,
                      std::uint64_t seed);

}  // namespace boltzflow
