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

constexpr int epoch_shift = 40;  // random-number id = epoch·2^40 + stream index
}  // namespace

Model::Model(const Comm& comm, const Target& target, std::uint64_t seed, ModelConfig config)
    : comm_(comm), target_(target), seed_(seed), config_(std::move(config)), dim_(target.dim()) {
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
  s.stream = PrefixStream(dim_);
  steps_.push_back(std::move(s));
}

void Model::add_rejection(const RejectionParams& p) {
  BOLTZFLOW_ASSERT(std::isfinite(p.log_c) && p.r_hat >= 0 && p.r_hat < 1, "neural_jko::Model: bad rejection parameters");
  Step s;
  s.rejection = p;
  s.stream = PrefixStream(dim_);
  s.made = pending_made_;  // continue the indices used while fitting it
  pending_made_ = 0;
  steps_.push_back(std::move(s));
}

void Model::restart_streams(std::uint32_t epoch) {
  BOLTZFLOW_ASSERT(epoch < (1u << 24), "neural_jko::Model: at most 2^24 random-number epochs");
  epoch_ = epoch;
  latent_taken_ = pending_made_ = 0;
  for (auto& s : steps_) {
    s.stream.clear();
    s.made = 0;
  }
}

std::uint64_t Model::key_id(std::int64_t first, std::int64_t count) const {
  BOLTZFLOW_ASSERT(first >= 0 && count >= 0 && first + count <= (std::int64_t(1) << epoch_shift),
                   "neural_jko::Model: at most 2^40 rows per stream and epoch");
  return (std::uint64_t(epoch_) << epoch_shift) | std::uint64_t(first);
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
  const std::uint64_t first = key_id(latent_taken_ + comm_.exscan(n), n);
  latent_taken_ += comm_.sum(n);
  const auto x = b.x;
  Kokkos::parallel_for(
      "boltzflow::neural_jko::latent_sample", Kokkos::RangePolicy<ExecSpace>(0, n), KOKKOS_LAMBDA(const int i) {
        for (int j = 0; j < d; ++j) x(i, j) = m(j) + s * rng.normal(first + i, 0, j);
      });
  latent_draws_ += n;
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

RejectionOutcome Model::reject_at(int k, Batch& b, const Scalars& U, const Scalars& lambda, const RejectionParams& p,
                                  std::uint64_t first_id) {
  const Proposer propose = [this, k](std::int64_t n) { return take(k, n); };
  return apply_rejection(target_, p, seed_, std::uint32_t(k), first_id, b, U, lambda, propose);
}

RejectionOutcome Model::reject(Batch& b, const Scalars& U, const Scalars& lambda, const RejectionParams& p) {
  const std::uint64_t first = key_id(pending_made_ + comm_.exscan(b.size()), b.size());
  pending_made_ += comm_.sum(b.size());
  return reject_at(num_steps(), b, U, lambda, p, first);
}

void Model::make_stack(int k, std::int64_t m) {
  const auto share = even_share(m, comm_.size(), comm_.rank());
  Batch b = take(k, share.count);
  auto& step = steps_[k];
  if (step.transport) {
    push_chunked(*step.transport, b);
  } else {
    Scalars U("boltzflow::neural_jko::U", b.size()), lambda("boltzflow::neural_jko::lambda", b.size());
    log_ratio(target_, b, U, lambda);
    reject_at(k, b, U, lambda, step.rejection, key_id(step.made + share.offset, share.count));
  }
  step.made += m;
  step.stream.push_stack(comm_, std::move(b), m);
}

Batch Model::take(int upto, std::int64_t n) {
  if (upto == 0) return latent(n);
  auto& stream = steps_[upto - 1].stream;
  const std::int64_t total = comm_.sum(n);
  if (stream.buffered() < total) make_stack(upto - 1, std::max(config_.stack_size, total - stream.buffered()));
  return stream.take(comm_, n);
}

Batch Model::sample(std::int64_t n, int upto) {
  if (upto < 0) upto = num_steps();
  BOLTZFLOW_ASSERT(upto <= num_steps() && n >= 0, "neural_jko::Model::sample: bad prefix or count");
  return take(upto, n);
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
