// Integer literals: 42, 0x2a, 052, 1_000, 1e6, 10u, 5ms, 2h. Durations become nanoseconds.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace btc {

struct IntLiteral {
  bool ok = false;
  uint64_t value = 0;
  std::string error;  // bpftrace-like message when !ok
};

// `spelling` is the whole literal: a digit followed by letters, digits and underscores.
IntLiteral parse_int_literal(std::string_view spelling);

}  // namespace btc
