#include "boltzflow/samplers/neural_jko/RejectionStep.hpp"

#include "boltzflow/core/Error.hpp"
#include "boltzflow/core/Rng.hpp"
#include "boltzflow/samplers/neural_jko/RejectionConstant.hpp"
#include "boltzflow/samplers/neural_jko/Streams.hpp"

namespace boltzflow::neural_jko {

void log_ratio(const Target& target, const Batch& b, const Scalars& U, const Scalars& lambda) {
  target.energy(b.x, U);
  const auto e = b.e;
  Kokkos::parallel_for(
      "boltzflow::neural_jko::log_ratio", Kokkos::RangePolicy<ExecSpace>(0, b.size()),
      KOKKOS_LAMBDA(const int i) { lambda(i) = e(i) - U(i); });
}

std::int64_t draw_rejections(const Scalars& lambda, double log_c, std::uint64_t seed, std::uint32_t key,
                             std::uint64_t first_id, const Vector<int>& rejected) {
  const Rng rng(seed, stream_accept);
  std::int64_t count = 0;
  Kokkos::parallel_reduce(
      "boltzflow::neural_jko::draw_rejections", Kokkos::RangePolicy<ExecSpace>(0, lambda.extent(0)),
      KOKKOS_LAMBDA(const int i, std::int64_t& c) {
        const double alpha = acceptance_probability(lambda(i), log_c);
        const int r = rng.uniform(first_id + i, key, 0) > alpha ? 1 : 0;  // P(reject) = 1 − α
        rejected(i) = r;
        c += r;
      },
      count);
  return count;
}

void update_energy(const Scalars& lambda, const RejectionParams& p, const Scalars& e) {
  const double log_c = p.log_c, r_hat = p.r_hat;
  Kokkos::parallel_for(
      "boltzflow::neural_jko::rejection_energy", Kokkos::RangePolicy<ExecSpace>(0, e.extent(0)),
      KOKKOS_LAMBDA(const int i) { e(i) -= kmath::log(acceptance_probability(lambda(i), log_c) + r_hat); });
}

RejectionOutcome apply_rejection(const Target& target, const RejectionParams& p, std::uint64_t seed, std::uint32_t key,
                                 std::uint64_t first_id, Batch& b, const Scalars& U, const Scalars& lambda,
                                 const Proposer& propose) {
  const std::int64_t n = b.size();
  BOLTZFLOW_ASSERT(std::int64_t(U.extent(0)) == n && std::int64_t(lambda.extent(0)) == n,
                   "neural_jko::apply_rejection: U/lambda sizes differ from the batch");
  Vector<int> rejected("boltzflow::neural_jko::rejected", n);
  RejectionOutcome out;
  out.rejected = draw_rejections(lambda, p.log_c, seed, key, first_id, rejected);
  Batch fresh = propose(out.rejected);  // also with none rejected: the proposer may be collective
  if (out.rejected > 0) {
    BOLTZFLOW_ASSERT(fresh.size() == out.rejected, "neural_jko::apply_rejection: proposer returned a wrong count");
    Scalars Uf("boltzflow::neural_jko::U_fresh", out.rejected), lf("boltzflow::neural_jko::lambda_fresh", out.rejected);
    log_ratio(target, fresh, Uf, lf);
    // Row i takes replacement number (# rejected rows before i): an exclusive scan.
    const auto x = b.x, xf = fresh.x;
    const auto e = b.e, ef = fresh.e;
    const int d = x.extent(1);
    Kokkos::parallel_scan(
        "boltzflow::neural_jko::fill_rejected", Kokkos::RangePolicy<ExecSpace>(0, n),
        KOKKOS_LAMBDA(const int i, std::int64_t& pos, const bool final) {
          if (final && rejected(i)) {
            for (int j = 0; j < d; ++j) x(i, j) = xf(pos, j);
            e(i) = ef(pos);
            U(i) = Uf(pos);
            lambda(i) = lf(pos);
          }
          pos += rejected(i);
        });
  }
  update_energy(lambda, p, b.e);
  return out;
}

}  // namespace boltzflow::neural_jko
