#pragma once
// The importance rejection-resampling step of nJKO-IC (methods.md §2.3, Thm 4.2 of the paper).
// Given samples x ~ p with energies e = −log p and the target ρ̃ = exp(−U):
//   λ = e − U = log ρ̃ − log p,   α = min{1, exp(λ − log c)};
// each sample is rejected with probability 1 − α and replaced by a FRESH sample of p (not tested
// again), so the output is i.i.d. with density p̃ = p·(α + r), r = E_p[1 − α]. The model stores
// (log c, r̂) with r̂ the rejection rate measured when c was fitted, and tracks
// e_new = e − log(α + r̂) at the final points.
#include <cstdint>
#include <functional>

#include "boltzflow/samplers/neural_jko/Batch.hpp"
#include "boltzflow/targets/Target.hpp"

namespace boltzflow::neural_jko {

struct RejectionParams {
  double log_c = 0.0;
  double r_hat = 0.0;
};

// U(x) into U and λ = e − U into lambda.
void log_ratio(const Target& target, const Batch& b, const Scalars& U, const Scalars& lambda);

// rejected(i) = 1 with probability 1 − α(λ_i): the uniform of row i is
// Rng(seed, stream_accept).uniform(first_id + i, key, 0). Returns the local number of rejections.
std::int64_t draw_rejections(const Scalars& lambda, double log_c, std::uint64_t seed, std::uint32_t key,
                             std::uint64_t first_id, const Vector<int>& rejected);

// e ← e − log(α(λ) + r̂).
void update_energy(const Scalars& lambda, const RejectionParams& p, const Scalars& e);

// Fresh samples (with energies) of the model before the step: n rows on this rank (n may be 0).
using Proposer = std::function<Batch(std::int64_t n)>;

struct RejectionOutcome {
  std::int64_t rejected = 0;  // local count
};

// The whole step on a batch in place. lambda holds λ at b.x on entry (from log_ratio) and at
// the final points on exit; U likewise holds U at the final points. Rejected rows are filled, in
// row order, from exactly one call propose(#rejected), made even when #rejected = 0 (so that a
// collective proposer is called on every rank).
RejectionOutcome apply_rejection(const Target& target, const RejectionParams& p, std::uint64_t seed, std::uint32_t key,
                                 std::uint64_t first_id, Batch& b, const Scalars& U, const Scalars& lambda,
                                 const Proposer& propose);

}  // namespace boltzflow::neural_jko
