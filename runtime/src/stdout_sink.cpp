#include "stdout_sink.h"

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>

namespace btc::rt {

static bool g_broken = false;

void setup_stdout() {
  signal(SIGPIPE, SIG_IGN);
  if (isatty(STDOUT_FILENO))
    setvbuf(stdout, nullptr, _IOLBF, 0);
  else
    setvbuf(stdout, nullptr, _IOFBF, 1 << 16);
}

// After a failed write: a reader that went away breaks stdout for good.
static void check() {
  if (errno == EPIPE) g_broken = true;
  clearerr(stdout);
}

void write_stdout(std::string_view text) {
  if (g_broken || text.empty()) return;
  if (fwrite(text.data(), 1, text.size(), stdout) != text.size()) check();
}

bool flush_stdout() {
  if (g_broken) return false;
  if (fflush(stdout) != 0) check();
  return !g_broken;
}

bool stdout_broken() { return g_broken; }

}  // namespace btc::rt
