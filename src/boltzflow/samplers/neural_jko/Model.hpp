#pragma once
// The nJKO-IC model (methods.md §2.1, §2.5): latent z ~ N(m, s²I) followed by a list of steps,
// each either a transport step (a CNF) or a rejection step (log c, r̂). It draws any number of
// i.i.d. samples across the ranks with their exact energies e = −log p, and evaluates e at
// arbitrary points.
//
// Sampling is recursive: a rejection step asks the model before it for replacements. To avoid
// tiny calls, the samples of every prefix are made collectively in stacks of at least
// `stack_size` rows (all ranks together, split evenly) and the leftovers are kept in the prefix's
// PrefixStream (the buffered rows are i.i.d. draws of that prefix, so using them later keeps
// every output i.i.d.). The expected cost is (1 + r)^(#rejection steps) latent draws per sample.
//
// Every sampling call is COLLECTIVE and hands the ranks consecutive rows of a globally indexed
// stream, in rank order. Random numbers are keyed by stream indices, never by rank: latent draw
// number i of the epoch by (id = epoch·2^40 + i, step 0), the acceptance uniform of row i of
// step k's stream by (id = epoch·2^40 + i, step = k). So the samples do not depend on the rank
// count (only the reductions that fit c and train the CNFs do, to rounding). restart_streams()
// begins a new epoch: buffers dropped, counters zeroed, so the state at an epoch start is the
// model alone (what a checkpoint holds). The dropped leftovers cost up to stack_size rows per
// prefix and epoch; a count-only simulation of the reference plan (10 CNFs, 18 rejection steps,
// r = 0.2, 50 000 rows) gives 4.8M latent draws for training with stack_size = 5000 and epochs,
// the same as the reference's 25 000-row stacks kept for the whole run.
#include <memory>
#include <vector>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/samplers/neural_jko/Batch.hpp"
#include "boltzflow/samplers/neural_jko/PrefixStream.hpp"
#include "boltzflow/samplers/neural_jko/RejectionStep.hpp"
#include "boltzflow/samplers/neural_jko/TransportStep.hpp"
#include "boltzflow/targets/Target.hpp"

namespace boltzflow::neural_jko {

struct ModelConfig {
  std::vector<double> latent_mean;  // size d, or empty for 0
  double latent_scale = 1.0;
  std::int64_t stack_size = 5000;  // minimum rows (all ranks) made per refill of a prefix stream
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

  // Collective: n i.i.d. samples on this rank (n may differ per rank) of the model made of the
  // first `upto` steps (−1: all); the ranks get consecutive rows of that prefix's stream.
  Batch sample(std::int64_t n, int upto = -1);

  // Collective: apply a rejection step with parameters p as step number num_steps() (the one
  // about to be added) to a distributed batch of the current model (rank q's rows follow rank
  // q−1's); replacements come from sample(·, num_steps()). U and lambda hold U and λ = e − U at
  // b.x on entry and at the final points on exit.
  RejectionOutcome reject(Batch& b, const Scalars& U, const Scalars& lambda, const RejectionParams& p);

  // Begin random-number epoch `epoch` (< 2^24): drop every buffered stack and zero the stream
  // counters. The sampler calls it at the start of each of its steps, so a run resumed from a
  // checkpoint (the model and the dataset) draws exactly what the uninterrupted run drew.
  void restart_streams(std::uint32_t epoch);

  // e(x) = −log p(x) of the first `upto` steps (−1: all) at arbitrary points: every transport
  // step is pulled back to the latent space, then the energies are accumulated forwards
  // (+ log|det| per transport, − log(α + r̂) per rejection step at its intermediate point).
  void energy(const Particles& x, const Scalars& e, int upto = -1);

  // Latent energy ‖z − m‖²/(2s²) + (d/2) log(2πs²).
  void latent_energy(const Particles& z, const Scalars& e) const;

  // Cost bookkeeping (this rank): latent draws made here so far (all epochs).
  std::int64_t latent_draws() const { return latent_draws_; }
  // Π_k (1 + r̂_k): the expected number of latent draws per sample of the full model.
  double expected_cost() const;
  long nfe() const;
  // Collective: n fresh latent draws on this rank, the next rows of the epoch's latent stream;
  // public because CUDA extended lambdas may not live in private member functions.
  Batch latent(std::int64_t n);

 private:
  struct Step {
    std::shared_ptr<TransportStep> transport;  // null for a rejection step
    RejectionParams rejection;
    PrefixStream stream;    // buffered samples of the prefix ending with this step
    std::int64_t made = 0;  // rows of that prefix made in this epoch (key the acceptance uniforms)
  };
  // The next rows of prefix `upto`'s stream (collective), made on demand.
  Batch take(int upto, std::int64_t n);
  // Makes a stack of m more rows of the prefix ending with step k (collective).
  void make_stack(int k, std::int64_t m);
  void push_chunked(TransportStep& t, Batch& b) const;
  // Rejection step k on rows whose acceptance uniforms are the stream indices first_id + i.
  RejectionOutcome reject_at(int k, Batch& b, const Scalars& U, const Scalars& lambda, const RejectionParams& p,
                             std::uint64_t first_id);
  // Stream indices [first, first + count) of the current epoch: the random-number id of `first`.
  std::uint64_t key_id(std::int64_t first, std::int64_t count) const;

  const Comm& comm_;
  const Target& target_;
  std::uint64_t seed_;
  ModelConfig config_;
  int dim_;
  std::vector<Step> steps_;
  std::uint32_t epoch_ = 0;
  std::int64_t latent_taken_ = 0;  // latent rows drawn in this epoch (all ranks)
  std::int64_t pending_made_ = 0;  // rows of the step about to be added, made by reject()
  std::int64_t latent_draws_ = 0;  // this rank, all epochs
};

}  // namespace boltzflow::neural_jko
