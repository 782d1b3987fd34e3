#include "stop_signals.h"

#include <csignal>
#include <cstring>

namespace btc::rt {

static volatile sig_atomic_t g_stop = 0;

static void on_stop_signal(int) { g_stop = 1; }

void install_stop_signals() {
  struct sigaction act;
  memset(&act, 0, sizeof(act));
  act.sa_handler = on_stop_signal;
  sigemptyset(&act.sa_mask);
  act.sa_flags = 0;  // no SA_RESTART
  sigaction(SIGINT, &act, nullptr);
  sigaction(SIGTERM, &act, nullptr);
  sigaction(SIGHUP, &act, nullptr);
}

bool stop_requested() { return g_stop != 0; }

void clear_stop_request() { g_stop = 0; }

}  // namespace btc::rt
