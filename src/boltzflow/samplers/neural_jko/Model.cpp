#include "boltzflow/samplers/neural_jko/Model.hpp"

#include <algorithm>
#include <cmath>

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/samplers/neural_jko/RejectionConstant.hpp"
#include "boltzflow/samplers/neural_jko/Streams.hpp"

namespace boltzflow::neural_jko {

namespace {
Vector<Real> mean_view(const std::vector<double>& mean, int d) {
  BOLTZFLOW_ASSERT(mean.empty() || int(mean.size()) == d, "neural_jko::Model: latent mean has the wrong size");
  Vector<Real> m("boltzflow::neural_jko::latent_mean", d);
  auto h = Kokkos::create_mirror_view(m);
  for (int j = 0; j < d; ++j) h(j) = mean.empty() ? 0.0 : mean[j];
  Kokkos::deep_copy(m, h);
  return m;
}

// The key (step field) of rejection step k's uniforms on `rank`.
std::uint32_t accept_key(int k, int rank) { return (std::uint32_t(k) << 16) | std::uint32_t(rank); }
}  // namespace

Model::Model(const Comm& comm, const Target& target, std::uint64_t seed, ModelConfig config)
    : comm_(comm), target_(target), seed_(seed), config_(std::move(config)), dim_(target.dim()) {
  BOLTZFLOW_ASSERT(comm.size() < (1 << 16), "neural_jko::Model: at most 65535 ranks");
  BOLTZFLOW_ASSERT(config_.stack_size > 0 && config_.eval_batch > 0, "neural_jko::Model: stack/eval sizes must be > 0");
  BOLTZFLOW_ASSERT(config_.latent_scale > 0, "neural_jko::Model: latent scale must be > 0");
  mean_view(config_.latent_mean, dim_);  // validates the size
}

int Model::num_rejection_steps() const {
  return static_cast<int>(std::count_if(steps_.begin(), steps_.end(), [](const Step& s) { return !s.transport; }));
}

void Model::add_transport(std::shared_ptr<TransportStep> step) {
  BOLTZFLOW_ASSERT(step && step->dim() == dim_, "neural_jko::Model: transport step of the wrong dimension");
  Step s;
  s.transport = std::move(step);
  steps_.push_back(std::move(s));
}

void Model::add_rejection(const RejectionParams& p) {
  BOLTZFLOW_ASSERT(std::isfinite(p.log_c) && p.r_hat >= 0 && p.r_hat < 1, "neural_jko::Model: bad rejection parameters");
  BOLTZFLOW_ASSERT(num_steps() < (1 << 16), "neural_jko::Model: at most 65535 steps");
  Step s;
  s.rejection = p;
  s.accept_counter = pending_accept_counter_;  // continue the stream used while fitting it
  pending_accept_counter_ = 0;
  steps_.push_back(std::move(s));
}

double Model::expected_cost() const {
  double c = 1.0;
  for (const auto& s : steps_)
    if (!s.transport) c *= 1.0 + s.rejection.r_hat;
  return c;
}

long Model::nfe() const {
  long n = 0;
  for (const auto& s : steps_)
    if (s.transport) n += s.transport->nfe();
  return n;
}

void Model::latent_energy(const Particles& z, const Scalars& e) const {
  const int d = dim_;
  const auto m = mean_view(config_.latent_mean, d);
  const double inv2s2 = 0.5 / (config_.latent_scale * config_.latent_scale);
  const double c = 0.5 * d * std::log(2.0 * constants::pi * config_.latent_scale * config_.latent_scale);
  Kokkos::parallel_for(
      "boltzflow::neural_jko::latent_energy", Kokkos::RangePolicy<ExecSpace>(0, z.extent(0)), KOKKOS_LAMBDA(const int i) {
        double r2 = 0;
        for (int j = 0; j < d; ++j) r2 += (z(i, j) - m(j)) * (z(i, j) - m(j));
        e(i) = r2 * inv2s2 + c;
      });
}

Batch Model::latent(std::int64_t n) {
  Batch b(n, dim_);
  const int d = dim_;
  const auto m = mean_view(config_.latent_mean, d);
  const Rng rng(seed_, stream_latent);
  const double s = config_.latent_scale;
  const std::uint64_t first = latent_counter_;
  const auto rank = static_cast<std::uint32_t>(comm_.rank());
  const auto x = b.x;
  Kokkos::parallel_for(
      "boltzflow::neural_jko::latent_sample", Kokkos::RangePolicy<ExecSpace>(0, n), KOKKOS_LAMBDA(const int i) {
        for (int j = 0; j < d; ++j) x(i, j) = m(j) + s * rng.normal(first + i, rank, j);
      });
  latent_counter_ += n;
  latent_energy(b.x, b.e);
  return b;
}

void Model::push_chunked(TransportStep& t, Batch& b) const {
  for (std::int64_t begin = 0; begin < b.size(); begin += config_.eval_batch) {
    const auto r = std::make_pair(begin, std::min(b.size(), begin + config_.eval_batch));
    Particles x = Kokkos::subview(b.x, r, Kokkos::ALL);
    Scalars e = Kokkos::subview(b.e, r);
    t.push(x, e);
  }
}

RejectionOutcome Model::reject_at(int k, Batch& b, const Scalars& U, const Scalars& lambda, const RejectionParams& p) {
  std::uint64_t& counter = k < num_steps() ? steps_[k].accept_counter : pending_accept_counter_;
  const std::uint64_t first = counter;
  counter += b.size();
  const Proposer propose = [this, k](std::int64_t n) { return sample(n, k); };
  return apply_rejection(target_, p, seed_, accept_key(k, comm_.rank()), first, b, U, lambda, propose);
}

RejectionOutcome Model::reject(Batch& b, const Scalars& U, const Scalars& lambda, const RejectionParams& p) {
  return reject_at(num_steps(), b, U, lambda, p);
}

void Model::apply(int k, Batch& b) {
  if (steps_[k].transport) {
    push_chunked(*steps_[k].transport, b);
    return;
  }
  Scalars U("boltzflow::neural_jko::U", b.size()), lambda("boltzflow::neural_jko::lambda", b.size());
  log_ratio(target_, b, U, lambda);
  reject_at(k, b, U, lambda, steps_[k].rejection);
}

Batch Model::sample(std::int64_t n, int upto) {
  if (upto < 0) upto = num_steps();
  BOLTZFLOW_ASSERT(upto <= num_steps() && n >= 0, "neural_jko::Model::sample: bad prefix or count");
  if (upto == 0) return latent(n);
  const int k = upto - 1;
  while (steps_[k].cache.size() < n) {
    const std::int64_t need = std::max(config_.stack_size, n - steps_[k].cache.size());
    Batch fresh = sample(need, k);
    apply(k, fresh);
    steps_[k].cache = concatenate(steps_[k].cache, fresh);
  }
  Batch& c = steps_[k].cache;
  Batch out = copy_rows(c, 0, n);
  c = copy_rows(c, n, c.size() - n);
  return out;
}

void Model::energy(const Particles& x, const Scalars& e, int upto) {
  if (upto < 0) upto = num_steps();
  BOLTZFLOW_ASSERT(upto <= num_steps(), "neural_jko::Model::energy: bad prefix");
  BOLTZFLOW_ASSERT(x.extent(0) == e.extent(0) && int(x.extent(1)) == dim_, "neural_jko::Model::energy: shapes differ");
  const std::int64_t n = x.extent(0);
  for (std::int64_t begin = 0; begin < n; begin += config_.eval_batch) {
    const std::int64_t len = std::min(n, begin + config_.eval_batch) - begin;
    const auto r = std::make_pair(begin, begin + len);
    Particles y("boltzflow::neural_jko::y", len, dim_);
    Kokkos::deep_copy(y, Kokkos::subview(x, r, Kokkos::ALL));
    // Backwards: log-Jacobians of the transports, and the points at which rejection steps act.
    std::vector<Scalars> ell(upto);
    std::vector<Particles> at(upto);
    for (int k = upto - 1; k >= 0; --k) {
      if (steps_[k].transport) {
        ell[k] = Scalars("boltzflow::neural_jko::ell", len);
        steps_[k].transport->pull(y, ell[k]);
      } else if (k + 1 < upto && !steps_[k + 1].transport) {
        at[k] = at[k + 1];  // consecutive rejection steps act at the same point
      } else {
        at[k] = Particles("boltzflow::neural_jko::at", len, dim_);
        Kokkos::deep_copy(at[k], y);
      }
    }
    // Forwards from the latent energy.
    Scalars ek = Kokkos::subview(e, r);
    latent_energy(y, ek);
    Scalars U("boltzflow::neural_jko::U", len), lambda("boltzflow::neural_jko::lambda", len);
    for (int k = 0; k < upto; ++k) {
      if (steps_[k].transport) {
        const auto l = ell[k];
        Kokkos::parallel_for(
            "boltzflow::neural_jko::energy_transport", Kokkos::RangePolicy<ExecSpace>(0, len),
            KOKKOS_LAMBDA(const int i) { ek(i) += l(i); });
      } else {
        if (k == 0 || steps_[k - 1].transport) target_.energy(at[k], U);  // new point
        Kokkos::parallel_for(
            "boltzflow::neural_jko::energy_ratio", Kokkos::RangePolicy<ExecSpace>(0, len),
            KOKKOS_LAMBDA(const int i) { lambda(i) = ek(i) - U(i); });
        update_energy(lambda, steps_[k].rejection, ek);
      }
    }
  }
}

}  // namespace boltzflow::neural_jko
