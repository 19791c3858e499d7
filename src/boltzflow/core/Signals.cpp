#include "boltzflow/core/Signals.hpp"

#include <csignal>

#include "boltzflow/core/Comm.hpp"

namespace boltzflow {

namespace {
volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_stop_signal(int) { g_stop = 1; }
}  // namespace

void install_stop_handlers() {
  std::signal(SIGTERM, on_stop_signal);
  std::signal(SIGUSR1, on_stop_signal);
}

bool stop_signal_received() { return g_stop != 0; }

bool stop_requested(const Comm& comm) { return comm.any(stop_signal_received()); }

}  // namespace boltzflow
