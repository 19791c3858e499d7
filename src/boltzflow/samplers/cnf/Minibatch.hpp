#pragma once
// Epoch-wise shuffled minibatches of a distributed pool of N particles that select the same
// GLOBAL batch for any rank count: epoch e is one permutation of the global ids 0..N−1
// (Fisher–Yates with uniforms from Rng(seed, cnf_minibatch) keyed by (position, epoch)),
// computed identically on every rank; batch i of the epoch is positions [iB, (i+1)B), and each
// rank takes the ids it holds. Only the order of the gradient sum depends on the rank count.
#include <cstdint>
#include <vector>

#include "boltzflow/samplers/Sampler.hpp"

namespace boltzflow::cnf {

class MinibatchSampler {
 public:
  // batch: global batch size (capped at N); salt separates the permutations of different blocks.
  MinibatchSampler(const Decomposition& dec, std::int64_t batch, std::uint64_t seed, std::uint64_t salt);
  std::int64_t global_batch() const { return batch_; }
  std::int64_t batches_per_epoch() const { return per_epoch_; }
  // This rank's rows of iteration `it` (indices into the local slice, ascending) and their
  // global ids; Views valid until the next call.
  void select(long it);
  const Vector<int>& rows() const { return rows_; }
  const Vector<std::uint64_t>& ids() const { return ids_; }
  int local_count() const { return count_; }

 private:
  void shuffle(long epoch);
  Decomposition dec_;
  std::int64_t batch_, per_epoch_;
  std::uint64_t seed_, salt_;
  long epoch_ = -1;
  std::vector<std::int64_t> perm_;
  Vector<int> rows_;
  Vector<std::uint64_t> ids_;
  int count_ = 0;
};

// xb(i, :) = pool(rows(i), :) for the first rows.extent(0) rows of xb.
void gather_rows(const Particles& pool, const Vector<int>& rows, int count, const Particles& xb);

}  // namespace boltzflow::cnf
