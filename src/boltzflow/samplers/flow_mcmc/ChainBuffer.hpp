#pragma once
// The sliding window of past chain states the flow is trained on (flowMC's history window;
// a short memory collapses modes, flowMC #52). A ring of `capacity` snapshots of this
// rank's walkers. Global row g = age·n_walkers + walker (age 0 = oldest kept snapshot), so
// the training minibatch (interpolant/Minibatch.hpp) is the same on any number of ranks.
#include <string>

#include "boltzflow/core/Types.hpp"
#include "boltzflow/io/H5Reader.hpp"
#include "boltzflow/io/H5Writer.hpp"
#include "boltzflow/samplers/interpolant/Minibatch.hpp"

namespace boltzflow::flow_mcmc {

class ChainBuffer {
 public:
  ChainBuffer(long capacity, std::int64_t n_walkers, std::int64_t first_walker, std::int64_t local, int d);
  void push(const Particles& x);  // one snapshot of this rank's walkers
  long filled() const { return filled_; }
  std::int64_t global_rows() const { return std::int64_t(filled_) * n_walkers_; }
  // The filled storage rows (physical order) and the global -> local row map over them.
  Particles rows() const;
  interpolant::OwnerMap owner() const;
  // Checkpoint: the ring exactly as stored (slot order, head, fill), one row per global walker
  // holding its snapshots slot by slot, so a restart continues with the same physical order
  // (the whitening sums rows in that order). load() needs the same capacity (InputError
  // naming flow_mcmc.window otherwise) and walker count.
  void save(io::H5Writer& w, const std::string& group) const;
  void load(const io::H5Reader& r, const std::string& group);

 private:
  long capacity_, filled_ = 0, head_ = 0;  // head_: physical slot of the oldest snapshot
  std::int64_t n_walkers_, first_, local_;
  Particles store_;  // (capacity · local, d)
};

}  // namespace boltzflow::flow_mcmc
