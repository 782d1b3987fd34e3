// printf() formatting with bpftrace's semantics.
//
// bpftrace formats with C++ streams, not with C printf, and this module does
// the same thing by hand:
//   - a conversion without a length modifier casts the value to int
//     (%d %i %c) or unsigned int (%u %o %x %X) first; hh, h, l, ll, j, z, t
//     select char, short, long, long long, intmax_t, size_t, ptrdiff_t;
//   - precision is ignored (it only applies to floating point);
//   - the '0' flag pads with zeros in front of everything, sign included
//     ("%05d" of -5 gives "000-5"); '-' pads on the right, with zeros too;
//   - '#' adds 0x/0X/0 for non-zero hex/octal values, '+' a sign for signed
//     decimal values; ' ' is accepted and ignored;
//   - %p prints 0x<hex> (just "0" for null), %s prints any value's text form,
//     %r/%rx/%rh print buffers, %gr a GFP allocation mask (gfp_flags.h);
//   - flags are recognised only in the order "-+ #0"; a '%' that does not
//     start a valid conversion is printed as is.
#ifndef BTC_RT_PRINTF_FORMAT_H
#define BTC_RT_PRINTF_FORMAT_H

#include <string>
#include <string_view>
#include <vector>

#include "printable.h"

namespace btc::rt {

struct FormatSpec {
  bool left_align = false;  // -
  bool show_sign = false;   // +
  bool space = false;       // ' ' (accepted, no effect)
  bool alternate = false;   // #
  bool zero_pad = false;    // 0
  int width = 0;            // 0 = none ("*" is accepted and means none)
  int precision = -1;       // parsed, unused for the supported conversions
  std::string length;       // "", "hh", "h", "l", "ll", "j", "z", "t", ...
  std::string conversion;   // "d", "s", "x", "rx", ...
};

// A format string split into literal fragments around the conversions:
// fragments.size() == specs.size() + 1 always.
struct ParsedFormat {
  std::vector<std::string> fragments;
  std::vector<FormatSpec> specs;
};

ParsedFormat parse_format(std::string_view fmt);

// Formats one argument according to one conversion.
std::string format_one(const FormatSpec &spec, const Printable &arg);

// Formats a whole printf: fragment, argument, fragment, ..., last fragment.
// (The compiler guarantees one argument per conversion; should they differ,
// conversions without an argument and arguments without a conversion are
// dropped, and the last fragment is still printed.)
std::string format_printf(const ParsedFormat &fmt, const std::vector<Printable> &args);

}  // namespace btc::rt

#endif
