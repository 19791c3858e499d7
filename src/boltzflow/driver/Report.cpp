#include "boltzflow/driver/Report.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include "boltzflow/core/Math.hpp"
#include "boltzflow/metrics/Autocorrelation.hpp"
#include "boltzflow/metrics/Distances.hpp"
#include "boltzflow/metrics/Modes.hpp"
#include "boltzflow/metrics/PositiveFraction.hpp"
#include "boltzflow/metrics/SampleChecks.hpp"
#include "boltzflow/metrics/Subsample.hpp"
#include "boltzflow/metrics/Weights.hpp"
#include "boltzflow/targets/LogisticRegression.hpp"
#include "boltzflow/targets/ManyWell.hpp"

namespace boltzflow {

namespace {
// Importance log-weights λ_i = −U_i − log q_i: reverse at model samples, forward at exact ones.
Scalars log_weights(const Scalars& U, const Scalars& lq) {
  Scalars lw("boltzflow::driver::log_w", U.extent(0));
  Kokkos::parallel_for(
      "boltzflow::driver::log_w", Kokkos::RangePolicy<ExecSpace>(0, lw.extent(0)),
      KOKKOS_LAMBDA(const int i) { lw(i) = -U(i) - lq(i); });
  return lw;
}

// Forward weights λ^f = −U(y) − log q(y) at the exact samples y (rows of ref on this rank):
// EUBO = mean λ^f ≥ log Z, the forward IS log Z and ESS. A non-finite λ^f (q = 0, or a failed
// backward solve, where the target has mass) makes the EUBO +∞ (NaN if any is NaN).
void add_forward_weights(const Comm& comm, const Target& target, const SampleSet& s, const Particles& ref, Report& r) {
  Kokkos::Timer timer;
  const auto n = static_cast<std::int64_t>(ref.extent(0));
  Scalars U("boltzflow::driver::U_reference", n), lq("boltzflow::driver::log_q_reference", n);
  target.energy(ref, U);
  s.log_density(ref, lq);
  const Scalars lw = log_weights(U, lq);
  std::int64_t inf = 0, nan = 0;
  Kokkos::parallel_reduce(
      "boltzflow::driver::forward_nan", Kokkos::RangePolicy<ExecSpace>(0, n),
      KOKKOS_LAMBDA(const std::int64_t i, std::int64_t& c) { c += kmath::isnan(lw(i)) ? 1 : 0; }, nan);
  Kokkos::parallel_reduce(
      "boltzflow::driver::forward_inf", Kokkos::RangePolicy<ExecSpace>(0, n),
      KOKKOS_LAMBDA(const std::int64_t i, std::int64_t& c) { c += kmath::isinf(lw(i)) ? 1 : 0; }, inf);
  inf = comm.sum(inf);
  nan = comm.sum(nan);
  r.add("forward_n", double(comm.sum(n)));
  r.add("forward_nonfinite", double(inf + nan));
  if (inf + nan > 0) {
    r.add("eubo", nan > 0 ? std::nan("") : std::numeric_limits<double>::infinity());
  } else {
    const auto f = metrics::forward_weight_summary(comm, lw);
    r.add("eubo", f.eubo);
    r.add("log_z_forward", f.log_z);
    r.add("forward_ess_fraction", f.ess_fraction);
  }
  r.add("forward_wall_s", comm.max(timer.seconds()));
}
}  // namespace

std::string Report::text() const {
  std::ostringstream s;
  s << "--- metrics ---";
  for (const auto& [k, v] : values) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    s << "\n  " << k << " = " << buf;
  }
  if (!mode_weights.empty() && mode_weights.size() <= 16) {
    s << "\n  mode weights (sampled / exact):";
    for (std::size_t k = 0; k < mode_weights.size(); ++k) {
      char buf[64];
      std::snprintf(buf, sizeof buf, " %.4f/%.4f", mode_weights[k], k < exact_mode_weights.size() ? exact_mode_weights[k] : NAN);
      s << buf;
    }
  }
  return s.str();
}

Report sampler_scalars(const SampleSet& s) {
  Report r;
  r.add("samples", double(s.dec.global));
  for (const auto& [k, v] : s.scalars) r.add(k, v);
  return r;
}

Report compute_report(const Comm& comm, const config::Options& opts, const Target& target, const SampleSet& s,
                      std::uint64_t seed) {
  Report r = sampler_scalars(s);
  const auto N = s.dec.global;

  // Distances to exact target samples (a separate random stream: seed + 1 keys the reference set).
  if (target.has_sampler() && N > 1) {
    const auto n_ref_req = opts.get<std::int64_t>("metrics.reference_samples");
    const auto ref_dec = Decomposition::even(comm, n_ref_req > 0 ? n_ref_req : N);
    Particles ref("reference", ref_dec.local, target.dim());
    target.sample(seed + 1, ref_dec.offset, ref);
    const int L = opts.get<int>("metrics.directions");
    // The O(NM) pair metrics on seeded subsamples of ~exact_max rows per set when larger.
    const auto cap = opts.get<std::int64_t>("metrics.exact_max");
    if (cap >= 2) {
      const auto xs = metrics::subsample_rows(comm, s.x, s.dec.offset, cap, seed + 2);
      const auto ys = metrics::subsample_rows(comm, ref, ref_dec.offset, cap, seed + 3);
      const auto nx = metrics::global_rows(comm, xs), ny = metrics::global_rows(comm, ys);
      if (nx >= 2 && ny >= 2) {
        r.add("energy_distance", metrics::energy_distance(comm, xs, ys));
        r.add("mmd", metrics::mmd(comm, xs, ys, 2000, seed));
        r.add("pair_metric_samples", double(nx));
        r.add("pair_metric_reference_samples", double(ny));
      }
    }
    r.add("energy_distance_sliced", metrics::energy_distance_sliced(comm, s.x, ref, L, seed));
    r.add("sliced_w2", metrics::sliced_w2(comm, s.x, ref, L, seed));
    if (s.log_density && opts.get<bool>("metrics.forward_weights")) add_forward_weights(comm, target, s, ref, r);
  }
  // Modes.
  if (target.num_modes() > 0) {
    r.labels = Vector<int>("mode", s.x.extent(0));
    target.assign_modes(s.x, r.labels);
    r.mode_weights = metrics::mode_weights(comm, r.labels, target.num_modes());
    r.exact_mode_weights = target.mode_weights();
    r.add("modes_found", metrics::modes_found(r.mode_weights));
    r.add("entropic_mode_coverage", metrics::entropic_mode_coverage(r.mode_weights));
    if (r.exact_mode_weights.size() == r.mode_weights.size()) {
      r.add("mode_mse_sum", metrics::mode_mse_sum(r.mode_weights, r.exact_mode_weights));
      r.add("mode_mse_mean", metrics::mode_mse_mean(r.mode_weights, r.exact_mode_weights));
    }
  }
  // Importance weights where the sampler has a density.
  const Scalars log_w = s.has_log_q ? log_weights(s.U, s.log_q) : Scalars();
  if (s.has_log_q) {
    const auto w = metrics::weight_summary(comm, log_w);
    r.add("log_z_estimate", w.log_z);
    r.add("elbo", w.elbo);
    r.add("reverse_ess_fraction", w.ess_fraction);
    r.add("reverse_ess", w.ess_fraction * double(w.n));  // out of reverse_ess_n samples
    r.add("reverse_ess_n", double(w.n));
    if (target.has_log_z()) r.add("log_z_true", target.log_z());
  }
  // ManyWell: sign balance of each pair's double-well coordinate x_{2i} (its own mode test when
  // 2^(d/2) modes are too many to count), against the exact well mass P(x > 0).
  if (const auto* mw = dynamic_cast<const ManyWell*>(&target); mw && N > 0) {
    const int pairs = mw->dim() / 2;
    const auto f = metrics::positive_fractions(comm, s.x, 0, 2, pairs);
    r.add("positive_fraction_mean", f.mean);
    r.add("positive_fraction_min", f.min);
    r.add("positive_fraction_max", f.max);
    r.add("positive_fraction_exact", mw->positive_well_mass());
    if (s.has_log_q)
      r.add("positive_fraction_weighted",
            metrics::weighted_positive_fractions(comm, s.x, log_w, 0, 2, pairs).mean);
  }
  // MCMC autocorrelation of recorded traces.
  for (const auto& [name, trace] : s.traces) {
    const double tau = metrics::integrated_autocorrelation_time(comm, trace);
    r.add("iat_" + name, tau);
    // ESS of the whole trace: recorded steps × chains (all ranks) / τ. The chain count comes from the
    // trace itself: a sampler may output several states per chain, so it is not the sample count.
    const double chains = double(comm.sum(static_cast<std::int64_t>(trace.extent(1))));
    r.add("ess_chain_" + name, double(trace.extent(0)) * chains / tau);
  }
  // Bayesian logistic regression: predictive quality on the held-out rows.
  if (const auto* blr = dynamic_cast<const LogisticRegression*>(&target)) {
    auto all = comm.allgather_rows(Kokkos::create_mirror_view_and_copy(HostSpace(), s.x));
    r.add("test_accuracy", blr->test_accuracy(all));
    r.add("log_predictive", blr->log_predictive(all));
  }
  return r;
}

}  // namespace boltzflow
