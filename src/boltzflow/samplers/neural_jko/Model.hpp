#pragma once
// The nJKO-IC model (methods.md §2.1, §2.5): latent z ~ N(m, s²I) followed by a list of steps,
// each either a transport step (a CNF) or a rejection step (log c, r̂). It draws any number of
// i.i.d. samples on this rank with their exact energies e = −log p, and evaluates e at
// arbitrary points.
//
// Sampling is recursive: a rejection step asks the model before it for replacements. To avoid
// tiny calls, the samples of every prefix are made in stacks of at least `stack_size` and the
// leftovers are cached per prefix (the cached rows are i.i.d. draws of that prefix, so using
// them later keeps every output i.i.d.). The expected cost is (1 + r)^(#rejection steps) latent
// draws per sample; the actual counts are kept per rank (the work per rank is random).
//
// Random numbers: latent draw number k of rank q is keyed by (id k, step q); the acceptance
// uniforms of step j by (id = running count at that step, step = j·2^16 + q). Results are
// therefore reproducible for a given seed and rank count.
#include <memory>
#include <vector>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/samplers/neural_jko/Batch.hpp"
#include "boltzflow/samplers/neural_jko/RejectionStep.hpp"
#include "boltzflow/samplers/neural_jko/TransportStep.hpp"
#include "boltzflow/targets/Target.hpp"

namespace boltzflow::neural_jko {

struct ModelConfig {
  std::vector<double> latent_mean;  // size d, or empty for 0
  double latent_scale = 1.0;
  std::int64_t stack_size = 25000;  // minimum rows generated per refill of a prefix cache
  std::int64_t eval_batch = 5000;   // rows per transport call (bounds the jet workspace)
};

class Model {
 public:
  Model(const Comm& comm, const Target& target, std::uint64_t seed, ModelConfig config);

  int dim() const { return dim_; }
  int num_steps() const { return static_cast<int>(steps_.size()); }
  int num_rejection_steps() const;
  int num_transport_steps() const { return num_steps() - num_rejection_steps(); }
  bool is_rejection(int k) const { return !steps_.at(k).transport; }
  const RejectionParams& rejection(int k) const { return steps_.at(k).rejection; }
  TransportStep& transport(int k) const { return *steps_.at(k).transport; }
  const ModelConfig& config() const { return config_; }

  void add_transport(std::shared_ptr<TransportStep> step);
  void add_rejection(const RejectionParams& p);

  // n i.i.d. samples (this rank) of the model made of the first `upto` steps (−1: all).
  Batch sample(std::int64_t n, int upto = -1);

  // Apply a rejection step with parameters p as step number num_steps() (the one about to be
  // added) to a batch of the current model: replacements come from sample(·, num_steps()).
  // U and lambda hold U and λ = e − U at b.x on entry and at the final points on exit.
  RejectionOutcome reject(Batch& b, const Scalars& U, const Scalars& lambda, const RejectionParams& p);

  // e(x) = −log p(x) of the first `upto` steps (−1: all) at arbitrary points: every transport
  // step is pulled back to the latent space, then the energies are accumulated forwards
  // (+ log|det| per transport, − log(α + r̂) per rejection step at its intermediate point).
  void energy(const Particles& x, const Scalars& e, int upto = -1);

  // Latent energy ‖z − m‖²/(2s²) + (d/2) log(2πs²).
  void latent_energy(const Particles& z, const Scalars& e) const;

  // Cost bookkeeping (this rank): latent draws so far, and rows produced per prefix.
  std::int64_t latent_draws() const { return latent_counter_; }
  // Π_k (1 + r̂_k): the expected number of latent draws per sample of the full model.
  double expected_cost() const;
  long nfe() const;
  // n fresh latent draws (this rank's counter advances); public because CUDA extended lambdas
  // may not live in private member functions.
  Batch latent(std::int64_t n);

 private:
  struct Step {
    std::shared_ptr<TransportStep> transport;  // null for a rejection step
    RejectionParams rejection;
    Batch cache;                 // leftovers of the prefix ending with this step
    std::uint64_t accept_counter = 0;
  };
  // Apply step k to a batch of the prefix before it, in place.
  void apply(int k, Batch& b);
  void push_chunked(TransportStep& t, Batch& b) const;
  RejectionOutcome reject_at(int k, Batch& b, const Scalars& U, const Scalars& lambda, const RejectionParams& p);

  const Comm& comm_;
  const Target& target_;
  std::uint64_t seed_;
  ModelConfig config_;
  int dim_;
  std::vector<Step> steps_;
  std::uint64_t latent_counter_ = 0;
  std::uint64_t pending_accept_counter_ = 0;  // counter of the step about to be added
};

}  // namespace boltzflow::neural_jko
