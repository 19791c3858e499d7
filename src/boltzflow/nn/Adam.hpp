#pragma once
// Adam / AdamW (decoupled weight decay) on one flat parameter View, with global-norm
// gradient clipping and a learning-rate schedule. Moments are Views of the same size, so a
// checkpoint stores (params, m, v, step) and restarts bit-identically.
#include <string>

#include "boltzflow/config/Options.hpp"
#include "boltzflow/core/Types.hpp"
#include "boltzflow/nn/LrSchedule.hpp"

namespace boltzflow::nn {

struct AdamConfig {
  double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  double weight_decay = 0.0;  // > 0: AdamW (decoupled, lr·wd·θ)
  double clip_norm = 0.0;     // > 0: rescale the gradient to this global 2-norm if larger
  LrSchedule schedule;
};

template <class Scalar>
class Adam {
 public:
  using Vec = Vector<Scalar>;
  Adam(std::size_t num_params, AdamConfig config);
  // One update of params from grads (already averaged over the global batch; grads may be
  // rescaled in place by clipping). Returns the gradient 2-norm before clipping. A NaN/Inf
  // gradient throws NumericalError and leaves params untouched.
  double step(const Vec& params, const Vec& grads);
  double current_lr() const;  // lr of the next step
  long steps() const { return step_; }
  // Optimizer state, for checkpoints.
  Vec m() const { return m_; }
  Vec v() const { return v_; }
  void set_steps(long s) { step_ = s; }
  const AdamConfig& config() const { return config_; }

 private:
  AdamConfig config_;
  Vec m_, v_;
  long step_ = 0;
};

// Deck keys <section>.lr, .beta1, .beta2, .eps, .weight_decay, .clip_norm, .lr_schedule,
// .lr_decay, .lr_decay_every, .lr_min, with the given defaults for lr and clip_norm.
void add_adam_options(config::po::options_description& d, const std::string& section, double lr, double clip_norm);
// total_steps: the length of the run the schedule spans (cosine).
AdamConfig adam_config(const config::Options& opts, const std::string& section, long total_steps);

}  // namespace boltzflow::nn
