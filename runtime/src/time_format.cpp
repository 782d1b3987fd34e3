#include "time_format.h"

#include <cinttypes>
#include <cstdio>
#include <ctime>

namespace btc::rt {

static uint64_t clock_ns(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ULL + static_cast<uint64_t>(ts.tv_nsec);
}

uint64_t boot_clock_ns() { return clock_ns(CLOCK_BOOTTIME); }

// When the machine booted, on the wall clock: measured once (as bpftrace does at start), so one boot
// timestamp always renders the same text; each fresh measurement differs by the nanoseconds between
// its two clock reads.
static uint64_t boot_realtime_offset_ns() {
  static const uint64_t offset = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
  return offset;
}

uint64_t boot_ns_to_realtime_ns(uint64_t boot_ns) { return boot_realtime_offset_ns() + boot_ns; }

// Every "%<letter>" replaced by `text` (bpftrace's plain textual replace).
static std::string replace_all(std::string s, const char *what, const std::string &text) {
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + text.size())) s.replace(at, 2, text);
  return s;
}

std::string format_timestamp(std::string_view fmt, uint64_t realtime_ns, bool utc) {
  time_t seconds = static_cast<time_t>(realtime_ns / 1000000000ULL);
  uint64_t fraction = realtime_ns % 1000000000ULL;
  if (seconds == 0) return "(?)";
  struct tm parts;
  if (!(utc ? gmtime_r(&seconds, &parts) : localtime_r(&seconds, &parts))) return "(?)";

  char digits[16];
  std::string expanded(fmt);
  snprintf(digits, sizeof(digits), "%06" PRIu64, fraction / 1000);
  expanded = replace_all(expanded, "%f", digits);
  snprintf(digits, sizeof(digits), "%09" PRIu64, fraction);
  expanded = replace_all(expanded, "%k", digits);
  snprintf(digits, sizeof(digits), "%03" PRIu64, fraction / 1000000);
  expanded = replace_all(expanded, "%l", digits);

  char text[1024];
  size_t n = strftime(text, sizeof(text), expanded.c_str(), &parts);
  if (n == 0) return "(?)";
  return std::string(text, n);
}

}  // namespace btc::rt
