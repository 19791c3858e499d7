#include "boltzflow/core/Progress.hpp"

#include <cstdio>

#include "boltzflow/core/Comm.hpp"
#include "boltzflow/core/Memory.hpp"

namespace boltzflow {

Progress::Progress(const Comm& comm, bool quiet) : print_(comm.root() && !quiet) {}

void Progress::start(const std::string& phase, long total, long every) {
  phase_ = phase;
  total_ = total;
  every_ = every;
  phase_start_ = timer_.seconds();
}

void Progress::update(long step, const std::vector<std::pair<std::string, double>>& values) {
  if (!print_) return;
  const bool last = step == total_;
  if (!last && (every_ <= 0 || step % every_ != 0)) return;
  const double el = timer_.seconds() - phase_start_;
  const double eta = step > 0 ? el * double(total_ - step) / double(step) : 0.0;
  std::printf("[%s] step %ld/%ld ", phase_.c_str(), step, total_);
  for (const auto& [k, v] : values) std::printf(" %s=%.4g", k.c_str(), v);
  std::printf("  elapsed %.1f s  eta %.1f s  rss %.0f MiB", el, eta, double(peak_host_rss_bytes()) / (1 << 20));
  if (const auto dev = device_used_bytes(); dev > 0) std::printf("  device %.0f MiB", double(dev) / (1 << 20));
  std::printf("\n");
  std::fflush(stdout);
}

void Progress::message(const std::string& text) const {
  if (!print_) return;
  std::printf("%s\n", text.c_str());
  std::fflush(stdout);
}

}  // namespace boltzflow
