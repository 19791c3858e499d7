#pragma once
// What a flow_mcmc run accumulates for its output besides the chains and the flow: the
// per-iteration series (identical on every rank), per-phase tallies, which walkers made a
// flow jump in the current phase, and the recorded production states with their U, log q,
// U trace and mode trace. save()/load() put it in a checkpoint: distributed data as one row
// per global walker (independent of the rank layout), replicated data once.
#include <map>
#include <string>
#include <vector>

#include "boltzflow/core/Types.hpp"
#include "boltzflow/io/H5Reader.hpp"
#include "boltzflow/io/H5Writer.hpp"

namespace boltzflow::flow_mcmc {

struct PhaseTallies {
  double local_acceptance = 0, global_acceptance = 0;  // sums of the per-iteration rates
  double wall = 0;                                      // seconds
  std::int64_t switches = 0;                            // mode switches of all walkers
};

struct RunRecord {
  // n walkers on this rank, dimension d, n_rec production records (0: the final states are
  // the output, one row per walker), mode traces when the target has modes.
  RunRecord(std::size_t n, int d, long n_rec, bool modes);

  std::map<std::string, std::vector<double>> series;
  std::vector<double> train_losses;
  PhaseTallies phase[2];  // training, production
  Vector<int, HostSpace> jumped;
  long n_rec, n_out;  // n_out = max(n_rec, 1) rows per walker
  Matrix<Real, HostSpace> x;             // (n · n_out, d), walker-major: row i · n_out + r
  Vector<Real, HostSpace> U, log_q;      // (n · n_out)
  Matrix<Real, HostSpace> trace_U, trace_mode;  // (n_rec, n); trace_mode (0, 0) without modes

  // The current states as record r (labels empty: no mode trace).
  void store(long r, const Particles& x, const Scalars& U, const Scalars& log_q, const Vector<int, HostSpace>& labels);
  // `records` = records stored so far (identical on every rank).
  void save(io::H5Writer& w, const std::string& group, long records) const;
  void load(const io::H5Reader& r, const std::string& group, long records, std::int64_t first_walker);
};

}  // namespace boltzflow::flow_mcmc
