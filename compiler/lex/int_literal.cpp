#include "lex/int_literal.h"

#include <cctype>
#include <limits>

namespace btc {

namespace {

constexpr uint64_t kU64Max = std::numeric_limits<uint64_t>::max();

struct Suffix {
  const char *spelling;
  uint64_t max;         // largest value (before scaling) the suffix allows
  uint64_t multiplier;  // durations scale to nanoseconds
};

// C integer suffixes are accepted for compatibility with C headers but do not change the type.
constexpr Suffix kSuffixes[] = {
    {"", kU64Max, 1},
    {"u", std::numeric_limits<uint32_t>::max(), 1},
    {"l", std::numeric_limits<int64_t>::max(), 1},
    {"ll", std::numeric_limits<int64_t>::max(), 1},
    {"ul", kU64Max, 1},
    {"lu", kU64Max, 1},
    {"ull", kU64Max, 1},
    {"llu", kU64Max, 1},
    {"ns", kU64Max, 1},
    {"us", kU64Max, 1'000},
    {"ms", kU64Max, 1'000'000},
    {"s", kU64Max, 1'000'000'000},
    {"m", kU64Max, 60'000'000'000},
    {"h", kU64Max, 3'600'000'000'000},
    {"d", kU64Max, 86'400'000'000'000},
};

bool is_c_suffix(std::string_view s) {
  for (char c : s)
    if (c != 'u' && c != 'U' && c != 'l' && c != 'L') return false;
  return true;
}

const Suffix *find_suffix(std::string_view s, bool allow_duration) {
  std::string key(s);
  if (is_c_suffix(s))
    for (char &c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  else if (!allow_duration)
    return nullptr;
  for (const Suffix &suffix : kSuffixes)
    if (key == suffix.spelling) return &suffix;
  return nullptr;
}

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 99;
}

// Accumulates `digits` (underscores skipped) in `base`; false on overflow.
bool accumulate(std::string_view digits, unsigned base, uint64_t *out) {
  uint64_t v = 0;
  for (char c : digits) {
    if (c == '_') continue;
    uint64_t d = static_cast<uint64_t>(digit_value(c));
    if (v > (kU64Max - d) / base) return false;
    v = v * base + d;
  }
  *out = v;
  return true;
}

IntLiteral fail(std::string message) {
  IntLiteral r;
  r.error = std::move(message);
  return r;
}

std::string overflow_message(uint64_t max, std::string_view spelling) {
  return "overflow error, maximum value is " + std::to_string(max) + ": " + std::string(spelling);
}

}  // namespace

IntLiteral parse_int_literal(std::string_view s) {
  size_t i = 0;
  unsigned base = 10;
  bool hex = s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
  if (hex) {
    base = 16;
    i = 2;
  }

  size_t digits_begin = i;
  while (i < s.size() && (s[i] == '_' || (hex ? std::isxdigit(static_cast<unsigned char>(s[i])) != 0
                                              : std::isdigit(static_cast<unsigned char>(s[i])) != 0)))
    i++;
  std::string_view digits = s.substr(digits_begin, i - digits_begin);
  if (digits.empty()) return fail("invalid hexadecimal literal: " + std::string(s));
  if (digits.back() == '_') return fail("trailing underscore in integer literal");

  // Scientific notation (decimal only): <m>e<n> with m in 1..9.
  std::string_view exponent;
  if (!hex && i + 1 < s.size() && (s[i] == 'e' || s[i] == 'E') && std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
    size_t exp_begin = ++i;
    while (i < s.size() && (s[i] == '_' || std::isdigit(static_cast<unsigned char>(s[i])))) i++;
    exponent = s.substr(exp_begin, i - exp_begin);
    if (exponent.back() == '_') return fail("trailing underscore in integer literal");
  }

  std::string_view suffix_text = s.substr(i);
  const Suffix *suffix = find_suffix(suffix_text, !hex);
  if (!suffix) return fail("invalid integer suffix '" + std::string(suffix_text) + "'");

  // A leading 0 followed by more digits is octal, as in C.
  std::string plain;
  for (char c : digits)
    if (c != '_') plain += c;
  if (!hex && exponent.empty() && plain.size() > 1 && plain[0] == '0') {
    for (char c : plain)
      if (c > '7') return fail(std::string("invalid digit '") + c + "' in octal literal: " + std::string(s));
    base = 8;
  }

  uint64_t value = 0;
  if (!accumulate(digits, base, &value)) return fail(overflow_message(kU64Max, s));

  if (!exponent.empty()) {
    if (value < 1 || value > 9) return fail("coefficient part of scientific literal must be 1-9: " + std::string(s));
    uint64_t power = 0;
    if (!accumulate(exponent, 10, &power)) return fail(overflow_message(kU64Max, s));
    for (uint64_t k = 0; k < power; k++) {
      if (value > kU64Max / 10) return fail(overflow_message(kU64Max, s));
      value *= 10;
    }
  }

  if (value > suffix->max / suffix->multiplier) return fail(overflow_message(suffix->max, s));
  IntLiteral r;
  r.ok = true;
  r.value = value * suffix->multiplier;
  return r;
}

}  // namespace btc
