#include "stop_signals.h"

#include <csignal>
#include <cstring>

namespace btc::rt {

static volatile sig_atomic_t g_stop = 0;

// The first signal asks for an orderly stop; a second one while that is
// still pending (the tool is stuck, e.g. writing to a pipe nobody reads)
// takes the signal's default action: the tool ends at once.
static void on_stop_signal(int sig) {
  if (g_stop) {
    signal(sig, SIG_DFL);
    raise(sig);
    return;
  }
  g_stop = 1;
}

static void set_handler(int sig, void (*handler)(int)) {
  struct sigaction act;
  memset(&act, 0, sizeof(act));
  act.sa_handler = handler;
  sigemptyset(&act.sa_mask);
  act.sa_flags = 0;  // no SA_RESTART
  sigaction(sig, &act, nullptr);
}

void install_stop_signals() {
  set_handler(SIGINT, on_stop_signal);
  set_handler(SIGTERM, on_stop_signal);
  set_handler(SIGHUP, on_stop_signal);
}

bool stop_requested() { return g_stop != 0; }

void clear_stop_request() { g_stop = 0; }

// After a Ctrl-C, the next one ends the tool at once. When the tool ends by itself (exit(),
// BEGIN-only scripts) a Ctrl-C that arrives meanwhile is the first one: it is absorbed by the
// handler (the stop is already under way) and only a second one ends the tool at once.
void enter_shutdown() {
  if (g_stop) set_handler(SIGINT, SIG_DFL);
}

}  // namespace btc::rt
