#include "libbpf_log.h"

#include <bpf/libbpf.h>

#include <cstdarg>
#include <cstdio>

#include "diag.h"

namespace btc::rt {

static std::string g_output;
static const size_t kMaxCaptured = 64u << 20;

static int on_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args) {
  if (level == LIBBPF_DEBUG && !verbose()) return 0;
  va_list copy;
  va_copy(copy, args);
  int n = vsnprintf(nullptr, 0, fmt, copy);
  va_end(copy);
  if (n <= 0 || g_output.size() + n > kMaxCaptured) return 0;
  size_t old = g_output.size();
  g_output.resize(old + n + 1);
  vsnprintf(&g_output[old], n + 1, fmt, args);
  g_output.resize(old + n);
  return 0;
}

void capture_libbpf_output() { libbpf_set_print(on_libbpf_print); }

const std::string &libbpf_output() { return g_output; }

void clear_libbpf_output() { g_output.clear(); }

void dump_libbpf_output_if_verbose() {
  if (!verbose() || g_output.empty()) return;
  fputs(g_output.c_str(), stderr);
  if (g_output.back() != '\n') fputc('\n', stderr);
}

}  // namespace btc::rt
