#include "int_text.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace btc::rt {

static IntReading failed(const std::string &text, const std::string &problem) {
  IntReading r;
  r.problem = problem;
  r.text = text;
  return r;
}

static IntReading too_large(const std::string &text, uint64_t max) {
  IntReading r;
  r.overflow = true;
  r.max = max;
  r.text = text;
  return r;
}

static IntReading number(uint64_t value) {
  IntReading r;
  r.ok = true;
  r.value = value;
  return r;
}

// value * 10^exponent, unless that overflows.
static bool times_power_of_ten(uint64_t &value, uint64_t exponent) {
  for (uint64_t i = 0; i < exponent; i++)
    if (__builtin_mul_overflow(value, 10, &value)) return false;
  return true;
}

IntReading read_uint(const std::string &text, int base) {
  std::string digits;
  for (char c : text)
    if (c != '_') digits += c;

  if (base == 0 && digits.size() >= 2) {
    if (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) return read_uint(digits.substr(2), 16);
    if (digits[0] == '0' && (digits[1] == 'b' || digits[1] == 'B')) return read_uint(digits.substr(2), 2);
    if (digits[0] == '0' && digits[1] >= '0' && digits[1] <= '7') return read_uint(digits.substr(1), 8);
  }

  const char *start = digits.c_str();
  char *end = nullptr;
  errno = 0;
  uint64_t v = strtoull(start, &end, base);
  if (v == 0 && end == start) return failed(text, "invalid integer");
  if (v == std::numeric_limits<uint64_t>::max() && errno == ERANGE)
    return too_large(text, std::numeric_limits<uint64_t>::max());

  if ((*end == 'e' || *end == 'E') && end[1] >= '1' && end[1] <= '9') {
    if (v == 0 || v >= 10) return failed(text, "coefficient part of scientific literal must be 1-9");
    uint64_t exponent = strtoull(end + 1, &end, 10);
    if (!times_power_of_ten(v, exponent)) return too_large(text, std::numeric_limits<uint64_t>::max());
  }

  struct Suffix {
    const char *text;
    uint64_t max;
    uint64_t multiplier;
  };
  static const Suffix kSuffixes[] = {
      {"", UINT64_MAX, 1},
      {"u", UINT32_MAX, 1},
      {"ul", UINT64_MAX, 1},
      {"ull", UINT64_MAX, 1},
      {"l", INT64_MAX, 1},
      {"ll", INT64_MAX, 1},
      {"ns", UINT64_MAX, 1},
      {"us", UINT64_MAX, 1000},
      {"ms", UINT64_MAX, 1000000},
      {"s", UINT64_MAX, 1000000000},
      {"m", UINT64_MAX, 60000000000},
      {"h", UINT64_MAX, 3600000000000},
      {"d", UINT64_MAX, 86400000000000},
  };
  for (const Suffix &s : kSuffixes) {
    if (strcmp(end, s.text) != 0) continue;
    if (v > s.max / s.multiplier) return too_large(text, s.max);
    return number(v * s.multiplier);
  }
  return failed(text, "invalid trailing bytes");
}

IntReading read_int(const std::string &text) {
  if (text.empty()) return number(0);
  constexpr uint64_t kMax = std::numeric_limits<int64_t>::max();
  if (text[0] == '-') {
    IntReading magnitude = read_uint(text.substr(1));
    if (!magnitude.ok) return magnitude;
    if (magnitude.value > kMax + 1) return too_large(text, kMax);
    return number(0 - magnitude.value);
  }
  IntReading r = read_uint(text);
  if (r.ok && r.value > kMax) return too_large(text, kMax);
  return r;
}

std::string int_reading_message(const IntReading &reading) {
  if (reading.overflow) return "overflow error, maximum value is " + std::to_string(reading.max) + ": " + reading.text;
  return reading.problem + ": " + reading.text;
}

}  // namespace btc::rt
