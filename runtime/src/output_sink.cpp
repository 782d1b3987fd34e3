#include "output_sink.h"

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>

namespace btc::rt {

static FILE *g_out = nullptr;
static BufferMode g_mode = BufferMode::kAuto;
static bool g_broken = false;
static const size_t kBlockSize = 1 << 16;

bool parse_buffer_mode(std::string_view text, BufferMode &mode) {
  if (text == "line")
    mode = BufferMode::kLine;
  else if (text == "full")
    mode = BufferMode::kFull;
  else if (text == "none")
    mode = BufferMode::kNone;
  else
    return false;
  return true;
}

static FILE *out() { return g_out ? g_out : stdout; }

bool open_output(const std::string &path, BufferMode mode, std::string &error) {
  signal(SIGPIPE, SIG_IGN);
  g_mode = mode;
  g_broken = false;
  FILE *f = stdout;
  if (!path.empty()) {
    f = fopen(path.c_str(), "we");
    if (!f) {
      error = "failed to open output file \"" + path + "\": " + strerror(errno);
      return false;
    }
  }
  g_out = f;
  switch (mode) {
    case BufferMode::kLine:
      setvbuf(f, nullptr, _IOLBF, kBlockSize);
      break;
    case BufferMode::kFull:
      setvbuf(f, nullptr, _IOFBF, kBlockSize);
      break;
    case BufferMode::kNone:
      setvbuf(f, nullptr, _IONBF, 0);
      break;
    case BufferMode::kAuto:
      setvbuf(f, nullptr, isatty(fileno(f)) ? _IOLBF : _IOFBF, kBlockSize);
      break;
  }
  return true;
}

void close_output() {
  flush_output();
  if (g_out && g_out != stdout) fclose(g_out);
  g_out = nullptr;
}

// After a failed write: a reader that went away breaks the output for good.
static void check() {
  if (errno == EPIPE) g_broken = true;
  clearerr(out());
}

void write_output(std::string_view text) {
  if (g_broken || text.empty()) return;
  if (fwrite(text.data(), 1, text.size(), out()) != text.size()) check();
}

bool flush_output() {
  if (g_broken) return false;
  if (fflush(out()) != 0) check();
  return !g_broken;
}

bool flush_output_before_wait() {
  if (g_mode == BufferMode::kFull) return !g_broken;
  return flush_output();
}

bool output_broken() { return g_broken; }

}  // namespace btc::rt
