#include "printf_format.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "gfp_flags.h"

namespace btc::rt {

// ---- parsing -----------------------------------------------------------------

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Tries to read one conversion starting at fmt[pos] == '%'. On success fills
// spec and returns the index just past it; on failure returns 0.
static size_t parse_spec(std::string_view fmt, size_t pos, FormatSpec &spec) {
  size_t i = pos + 1;
  auto next_is = [&](char c) { return i < fmt.size() && fmt[i] == c; };

  if (next_is('-')) spec.left_align = true, i++;
  if (next_is('+')) spec.show_sign = true, i++;
  if (next_is(' ')) spec.space = true, i++;
  if (next_is('#')) spec.alternate = true, i++;
  if (next_is('0')) spec.zero_pad = true, i++;

  if (next_is('*')) {
    i++;
  } else {
    size_t start = i;
    while (i < fmt.size() && is_digit(fmt[i])) i++;
    if (i > start) spec.width = atoi(std::string(fmt.substr(start, i - start)).c_str());
  }

  if (next_is('.') && i + 1 < fmt.size() && (fmt[i + 1] == '*' || is_digit(fmt[i + 1]))) {
    i++;
    if (next_is('*')) {
      i++;
    } else {
      size_t start = i;
      while (i < fmt.size() && is_digit(fmt[i])) i++;
      spec.precision = atoi(std::string(fmt.substr(start, i - start)).c_str());
    }
  }

  size_t length_start = i;
  while (i < fmt.size() && strchr("hlLjzt", fmt[i]) && fmt[i] != '\0') i++;
  spec.length = std::string(fmt.substr(length_start, i - length_start));

  if (i >= fmt.size()) return 0;
  char c = fmt[i];
  if (strchr("diouxXeEfFGaAcspn%", c)) {
    spec.conversion = std::string(1, c);
    return i + 1;
  }
  if (c == 'g') {
    bool gr = i + 1 < fmt.size() && fmt[i + 1] == 'r';
    spec.conversion = gr ? "gr" : "g";
    return i + (gr ? 2 : 1);
  }
  if (c == 'r') {
    bool suffixed = i + 1 < fmt.size() && (fmt[i + 1] == 'h' || fmt[i + 1] == 'x');
    spec.conversion = suffixed ? std::string(fmt.substr(i, 2)) : "r";
    return i + (suffixed ? 2 : 1);
  }
  return 0;
}

[[gnu::cold]] ParsedFormat parse_format(std::string_view fmt) {
  ParsedFormat parsed;
  std::string fragment;
  size_t i = 0;
  while (i < fmt.size()) {
    if (fmt[i] != '%') {
      fragment += fmt[i++];
      continue;
    }
    FormatSpec spec;
    size_t end = parse_spec(fmt, i, spec);
    if (end == 0) {
      fragment += fmt[i++];
      continue;
    }
    i = end;
    if (spec.conversion == "%") {
      fragment += '%';
      continue;
    }
    parsed.fragments.push_back(std::move(fragment));
    fragment.clear();
    parsed.specs.push_back(std::move(spec));
  }
  parsed.fragments.push_back(std::move(fragment));
  return parsed;
}

// ---- formatting --------------------------------------------------------------

// The integer bits behind a value, or false when it is not a number.
static bool integer_bits(const Printable &arg, uint64_t &bits) {
  switch (arg.kind) {
    case Printable::Kind::kInt:
    case Printable::Kind::kBool:
      bits = static_cast<uint64_t>(arg.sint);
      return true;
    case Printable::Kind::kUint:
    case Printable::Kind::kSymbol:
      bits = arg.uint;
      return true;
    default:
      return false;
  }
}

static bool is_wide(const std::string &length) {
  return length == "l" || length == "ll" || length == "j" || length == "z" || length == "t";
}

static int64_t as_signed(uint64_t bits, const std::string &length) {
  if (length == "hh") return static_cast<int8_t>(bits);
  if (length == "h") return static_cast<int16_t>(bits);
  if (is_wide(length)) return static_cast<int64_t>(bits);
  return static_cast<int32_t>(bits);
}

static uint64_t as_unsigned(uint64_t bits, const std::string &length) {
  if (length == "hh") return static_cast<uint8_t>(bits);
  if (length == "h") return static_cast<uint16_t>(bits);
  if (is_wide(length)) return bits;
  return static_cast<uint32_t>(bits);
}

static std::string format_unsigned(const FormatSpec &spec, uint64_t value) {
  char buf[32];
  const char *prefix = "";
  if (spec.conversion == "o") {
    snprintf(buf, sizeof(buf), "%" PRIo64, value);
    if (spec.alternate && value != 0) prefix = "0";
  } else if (spec.conversion == "x") {
    snprintf(buf, sizeof(buf), "%" PRIx64, value);
    if (spec.alternate && value != 0) prefix = "0x";
  } else if (spec.conversion == "X") {
    snprintf(buf, sizeof(buf), "%" PRIX64, value);
    if (spec.alternate && value != 0) prefix = "0X";
  } else {
    snprintf(buf, sizeof(buf), "%" PRIu64, value);
  }
  return std::string(prefix) + buf;
}

static std::string pad(std::string body, size_t piece_length, const FormatSpec &spec) {
  if (spec.width <= 0 || static_cast<size_t>(spec.width) <= piece_length) return body;
  std::string fill(spec.width - piece_length, spec.zero_pad ? '0' : ' ');
  if (spec.left_align) return body.insert(piece_length, fill);
  return fill + body;
}

std::string format_one(const FormatSpec &spec, const Printable &arg) {
  const std::string &conv = spec.conversion;
  bool is_signed_conv = conv == "d" || conv == "i" || conv == "c";
  bool is_unsigned_conv = conv == "u" || conv == "o" || conv == "x" || conv == "X" || conv == "p";

  if (is_signed_conv || is_unsigned_conv) {
    uint64_t bits;
    if (!integer_bits(arg, bits)) return "!{invalid integer conversion: " + to_text(arg) + "}";
    std::string body;
    if (conv == "c") {
      body = std::string(1, static_cast<char>(as_signed(bits, spec.length)));
    } else if (is_signed_conv) {
      char buf[32];
      snprintf(buf, sizeof(buf), spec.show_sign ? "%+" PRId64 : "%" PRId64, as_signed(bits, spec.length));
      body = buf;
    } else if (conv == "p") {
      body = format_address(bits);  // the pointer itself, never truncated
    } else {
      body = format_unsigned(spec, as_unsigned(bits, spec.length));
    }
    size_t length = body.size();
    return pad(std::move(body), length, spec);
  }

  if (conv == "gr") {  // a GFP mask: any integer, as unsigned 64 bits
    uint64_t bits;
    if (!integer_bits(arg, bits)) return "!{invalid GFP flags conversion: " + to_text(arg) + "}";
    std::string body = format_gfp_flags(bits);
    size_t length = body.size();
    return pad(std::move(body), length, spec);
  }

  if ((conv == "r" || conv == "rx" || conv == "rh") && arg.kind == Printable::Kind::kBuffer) {
    std::string body = format_buffer(arg.text, conv == "r", conv != "rh");
    size_t length = body.size();
    return pad(std::move(body), length, spec);
  }

  // %s and everything else print the value's text form; the width applies to
  // the first piece written (see first_piece_length).
  std::string body;
  append_text(body, arg, spec.show_sign);
  size_t piece = arg.kind == Printable::Kind::kTuple || arg.kind == Printable::Kind::kRecord ? first_piece_length(arg)
                                                                                             : body.size();
  return pad(std::move(body), piece, spec);
}

std::string format_printf(const ParsedFormat &fmt, const std::vector<Printable> &args) {
  std::string out;
  size_t n = std::min(args.size(), fmt.specs.size());
  for (size_t i = 0; i < n; i++) {
    out += fmt.fragments[i];
    out += format_one(fmt.specs[i], args[i]);
  }
  out += fmt.fragments.back();
  return out;
}

}  // namespace btc::rt
