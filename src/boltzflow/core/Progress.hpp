#pragma once
// Rank-0 progress lines: "[mala] step 200/1000  acc=0.571 h=0.213  elapsed 1.2 s  eta 4.8 s  rss 52 MiB"
// (rss: rank 0's peak resident memory; GPU builds add the device memory in use).
#include <Kokkos_Timer.hpp>
#include <string>
#include <utility>
#include <vector>

namespace boltzflow {

class Comm;

class Progress {
 public:
  Progress(const Comm& comm, bool quiet = false);
  // Start a phase of `total` steps, printing every `every` steps (0: only the last).
  void start(const std::string& phase, long total, long every);
  void update(long step, const std::vector<std::pair<std::string, double>>& values);
  void message(const std::string& text) const;  // rank 0 only
  double elapsed() const { return timer_.seconds(); }

 private:
  bool print_;
  std::string phase_;
  long total_ = 0, every_ = 0;
  Kokkos::Timer timer_;
  double phase_start_ = 0;
};

}  // namespace boltzflow
