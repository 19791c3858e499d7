#include "boltzflow/nn/Adam.hpp"

#include <cmath>
#include <limits>
#include <sstream>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Math.hpp"

namespace boltzflow::nn {

template <class Scalar>
Adam<Scalar>::Adam(std::size_t num_params, AdamConfig config)
    : config_(config), m_("boltzflow::nn::adam_m", num_params), v_("boltzflow::nn::adam_v", num_params) {}

template <class Scalar>
double Adam<Scalar>::current_lr() const {
  return config_.schedule.at(config_.lr, step_);
}

template <class Scalar>
double Adam<Scalar>::step(const Vec& params, const Vec& grads) {
  BOLTZFLOW_ASSERT(params.extent(0) == m_.extent(0) && grads.extent(0) == m_.extent(0),
                   "Adam::step: params/grads size differs from the optimizer's");
  const int n = static_cast<int>(m_.extent(0));

  // Squared global 2-norm, accumulated in double whatever Scalar is. NaN/Inf in any
  // component makes it non-finite (quiet-NaN arithmetic raises no FP exception).
  double norm2 = 0;
  Kokkos::parallel_reduce(
      "boltzflow::nn::adam_grad_norm", Kokkos::RangePolicy<ExecSpace>(0, n),
      KOKKOS_LAMBDA(const int i, double& acc) {
        const double g = static_cast<double>(grads(i));
        acc += g * g;
      },
      norm2);
  if (!std::isfinite(norm2)) {
    std::ostringstream msg;
    msg << "Adam step " << step_ + 1 << ": the gradient is not finite (squared norm " << norm2
        << "); parameters left unchanged";
    throw NumericalError(msg.str());
  }
  const double norm = std::sqrt(norm2);

  const double clip = config_.clip_norm > 0 && norm > config_.clip_norm ? config_.clip_norm / norm : 1.0;
  const double lr = current_lr();
  const double b1 = config_.beta1, b2 = config_.beta2, eps = config_.eps;
  const double t = static_cast<double>(step_ + 1);
  // PyTorch's formulation: θ ← θ(1 − lr·wd) − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + eps).
  const double step_size = lr / (1.0 - std::pow(b1, t));
  const double inv_sqrt_bc2 = 1.0 / std::sqrt(1.0 - std::pow(b2, t));
  const double shrink = 1.0 - lr * config_.weight_decay;
  const bool rescale = clip != 1.0;
  auto m = m_, v = v_;
  Kokkos::parallel_for(
      "boltzflow::nn::adam_update", Kokkos::RangePolicy<ExecSpace>(0, n), KOKKOS_LAMBDA(const int i) {
        double g = static_cast<double>(grads(i));
        if (rescale) {
          g *= clip;
          grads(i) = static_cast<Scalar>(g);
        }
        const double mi = b1 * static_cast<double>(m(i)) + (1.0 - b1) * g;
        const double vi = b2 * static_cast<double>(v(i)) + (1.0 - b2) * g * g;
        m(i) = static_cast<Scalar>(mi);
        v(i) = static_cast<Scalar>(vi);
        const double denom = kmath::sqrt(vi) * inv_sqrt_bc2 + eps;
        params(i) = static_cast<Scalar>(static_cast<double>(params(i)) * shrink - step_size * mi / denom);
      });
  ++step_;
  return norm;
}

void add_adam_options(config::po::options_description& d, const std::string& section, double lr, double clip_norm) {
  using namespace config;
  const auto k = [&](const char* key) { return section + "." + key; };
  const double dmax = std::numeric_limits<double>::max();
  add<double>(d, k("lr"), lr, "Adam learning rate (initial value of the schedule)", 0.0, 1e3);
  add<double>(d, k("beta1"), 0.9, "Adam first-moment decay", 0.0, 0.999999);
  add<double>(d, k("beta2"), 0.999, "Adam second-moment decay", 0.0, 0.999999);
  add<double>(d, k("eps"), 1e-8, "Adam denominator offset", 1e-30, 1.0);
  add<double>(d, k("weight_decay"), 0.0, "decoupled weight decay (AdamW: theta -= lr*wd*theta); 0 = plain Adam", 0.0,
              1e3);
  add<double>(d, k("clip_norm"), clip_norm, "rescale the gradient to this global 2-norm if larger; 0 = no clipping",
              0.0, dmax);
  add_choice(d, k("lr_schedule"), "constant", {"constant", "cosine", "exponential"},
             "learning-rate schedule: constant, cosine (lr -> lr_min over the run), exponential (staircase)");
  add<double>(d, k("lr_decay"), 1.0, "exponential schedule: lr *= lr_decay every lr_decay_every steps", 1e-12, 1.0);
  add<long>(d, k("lr_decay_every"), 1L, "exponential schedule: steps between decays", 1L,
            std::numeric_limits<long>::max());
  add<double>(d, k("lr_min"), 0.0, "final lr of the cosine schedule, floor of the exponential one (<= lr)", 0.0, dmax);
}

AdamConfig adam_config(const config::Options& opts, const std::string& section, long total_steps) {
  const auto k = [&](const char* key) { return section + "." + key; };
  AdamConfig c;
  c.lr = opts.get<double>(k("lr"));
  c.beta1 = opts.get<double>(k("beta1"));
  c.beta2 = opts.get<double>(k("beta2"));
  c.eps = opts.get<double>(k("eps"));
  c.weight_decay = opts.get<double>(k("weight_decay"));
  c.clip_norm = opts.get<double>(k("clip_norm"));
  c.schedule.kind = lr_schedule_from_string(opts.str(k("lr_schedule")), k("lr_schedule"));
  c.schedule.total_steps = total_steps > 0 ? total_steps : 1;
  c.schedule.decay = opts.get<double>(k("lr_decay"));
  c.schedule.every = opts.get<long>(k("lr_decay_every"));
  c.schedule.lr_min = opts.get<double>(k("lr_min"));
  if (c.schedule.lr_min > c.lr)
    throw InputError(k("lr_min") + " = " + config::to_text(c.schedule.lr_min) + " exceeds " + k("lr") + " = " +
                     config::to_text(c.lr));
  if (c.lr * c.weight_decay >= 1.0)
    throw InputError(k("weight_decay") + " = " + config::to_text(c.weight_decay) + ": lr*weight_decay must be < 1");
  return c;
}

template class Adam<double>;
template class Adam<float>;

}  // namespace boltzflow::nn
