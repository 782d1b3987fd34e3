// Integers from the command line, read the way bpftrace reads them (its
// util::to_uint / util::to_int): optional 0x/0b/0 prefixes, '_' separators,
// 1e3 exponents, u/l/ll suffixes and ns/us/ms/s/m/h/d time units, with
// bpftrace's words for what is wrong ("invalid integer: a1111").
#ifndef BTC_RT_INT_TEXT_H
#define BTC_RT_INT_TEXT_H

#include <cstdint>
#include <string>

namespace btc::rt {

struct IntReading {
  bool ok = false;
  uint64_t value = 0;     // when ok; a negative read_int result as its two's complement
  bool overflow = false;  // not ok because the number is too large (else `problem`)
  uint64_t max = 0;       // overflow: the largest value allowed
  std::string problem;    // "invalid integer", "invalid trailing bytes", ...
  std::string text;       // the text the failure is about (after a 0x/0b/0 prefix)
};

// An unsigned number; a leading '-' wraps around as strtoull does.
IntReading read_uint(const std::string &text, int base = 0);

// A signed number: '-' then an unsigned one, within int64_t.
IntReading read_int(const std::string &text);

// bpftrace's message for a failed reading: "invalid integer: a1111",
// "overflow error, maximum value is 4294967295: 5000000000u".
std::string int_reading_message(const IntReading &reading);

}  // namespace btc::rt

#endif
