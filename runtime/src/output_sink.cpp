#include "output_sink.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>

#include "diag.h"

namespace btc::rt {

// The output is buffered here and written with write(2), so that a write
// interrupted by a signal (EINTR, e.g. Ctrl-C while a full pipe blocks the
// tool) is resumed instead of losing what stdio had buffered.
static int g_fd = STDOUT_FILENO;
static bool g_own_fd = false;
static BufferMode g_mode = BufferMode::kAuto;
static bool g_line = false;  // flush at every newline
static bool g_broken = false;
static std::string g_buffer;
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

[[gnu::cold]] bool open_output(const std::string &path, BufferMode mode, std::string &error) {
  signal(SIGPIPE, SIG_IGN);
  if (!path.empty()) {
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
      error = "failed to open output file \"" + path + "\": " + strerror(errno);
      return false;
    }
    g_fd = fd;
    g_own_fd = true;
  }
  g_mode = mode;
  g_line = mode == BufferMode::kLine || (mode == BufferMode::kAuto && isatty(g_fd));
  g_broken = false;
  g_buffer.reserve(kBlockSize);
  return true;
}

void close_output() {
  flush_output();
  if (g_own_fd) close(g_fd);
  g_fd = STDOUT_FILENO;
  g_own_fd = false;
}

// Writes everything, resuming after signals. A reader that went away
// (EPIPE) breaks the output quietly; any other error says why once.
static void write_all(const char *data, size_t size) {
  while (size > 0 && !g_broken) {
    ssize_t n = write(g_fd, data, size);
    if (n > 0) {
      data += n;
      size -= static_cast<size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      if (n < 0 && errno != EPIPE)
        fprintf(stderr, "%s: error: cannot write the output: %s\n", tool_name(), strerror(errno));
      g_broken = true;
    }
  }
}

void write_output(std::string_view text) {
  if (g_broken || text.empty()) return;
  g_buffer.append(text);
  bool flush = g_mode == BufferMode::kNone || g_buffer.size() >= kBlockSize ||
               (g_line && memchr(text.data(), '\n', text.size()) != nullptr);
  if (flush) flush_output();
}

bool flush_output() {
  // Anything printed through stdio (help, --check) goes first.
  fflush(stdout);
  if (!g_buffer.empty()) write_all(g_buffer.data(), g_buffer.size());
  g_buffer.clear();
  return !g_broken;
}

bool flush_output_before_wait() {
  if (g_mode == BufferMode::kFull) return !g_broken;
  return flush_output();
}

bool output_broken() { return g_broken; }

}  // namespace btc::rt
