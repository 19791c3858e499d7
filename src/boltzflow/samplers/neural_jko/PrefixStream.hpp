#pragma once
// A first-in first-out buffer of samples of one prefix of the nJKO model, indexed GLOBALLY and
// split over the ranks. Rows are appended collectively in stacks (a stack of M rows is split
// evenly: rank p holds a contiguous range of it, as even_share says) and handed out in global
// order: take(n) on every rank gives rank q the next rows [head + Σ_{p<q} n_p, ...) of the
// stream, moved between ranks as needed (one Alltoallv). Which rows a request receives thus
// depends on the request sizes only, never on the rank count the rows were made with — what
// makes the recursive sampler's output independent of the number of ranks.
#include <cstdint>
#include <deque>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/samplers/neural_jko/Batch.hpp"

namespace boltzflow::neural_jko {

// Rank `rank`'s contiguous share of `total` items split over `ranks` ranks: the first
// total % ranks ranks hold one more (the layout of Decomposition::even, without a collective).
struct EvenShare {
  std::int64_t offset = 0, count = 0;
};
EvenShare even_share(std::int64_t total, int ranks, int rank);

class PrefixStream {
 public:
  explicit PrefixStream(int dim = 0) : dim_(dim) {}
  // Appends a stack of `size` rows (all ranks); `part` is this rank's even share of it.
  void push_stack(const Comm& comm, Batch part, std::int64_t size);
  // Rows appended and not yet taken (all ranks).
  std::int64_t buffered() const { return tail_ - head_; }
  // The next Σ n rows of the stream (collective; n may differ per rank and be 0); rank q gets
  // its n_q rows in stream order. The request must not exceed buffered().
  Batch take(const Comm& comm, std::int64_t n);
  void clear();

 private:
  struct Stack {
    std::int64_t first = 0, size = 0;  // global stream indices [first, first + size)
    Batch part;                        // this rank's even share
  };
  int dim_;
  std::deque<Stack> stacks_;
  std::int64_t head_ = 0, tail_ = 0;  // next index to hand out, one past the last appended
};

}  // namespace boltzflow::neural_jko
