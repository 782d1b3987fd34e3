// printf-family format strings: splitting into conversions and checking them against argument types.
#pragma once
#include <string>
#include <vector>

#include "types/types.h"

namespace btc {

struct FormatSpec {
  std::string text;  // the whole conversion, e.g. "%-5lu"
  char conv = 0;     // d i u x X o s c p, r (also for %rx and %rh)
};

// Splits `fmt` into conversions ("%%" is not one). Returns false with *err on a malformed conversion.
bool parse_format(const std::string &fmt, std::vector<FormatSpec> *specs, std::string *err);

// Checks the number and types of arguments. On failure *err says why and *bad_arg is the 1-based
// index of the offending argument (0 when it is about the format string itself).
bool check_format(const std::string &fmt, const std::vector<Type> &args, std::string *err, size_t *bad_arg);

// The format for the kernel's bpf_seq_printf() (pinned iterators write into their seq_file),
// whose arguments all travel as 64-bit values: integers get the `ll` modifier, %p becomes
// 0x%llx, %s needs a string. Conversions the kernel lacks (%o, the # flag) are refused.
// Returns false with *err and *bad_arg (1-based argument, 0 for the format) when it cannot be.
bool seq_printf_format(const std::string &fmt, const std::vector<Type> &args, std::string *out, std::string *err,
                       size_t *bad_arg);

}  // namespace btc
