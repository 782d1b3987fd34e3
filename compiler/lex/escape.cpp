#include "lex/escape.h"

namespace btc {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Escape decoded(size_t end, int value) {
  Escape e;
  e.end = end;
  e.ok = true;
  e.value = static_cast<char>(value);
  return e;
}

Escape failed(size_t end, std::string message) {
  Escape e;
  e.end = end;
  e.error = std::move(message);
  return e;
}

}  // namespace

Escape decode_escape(std::string_view text, size_t pos) {
  char c = pos + 1 < text.size() ? text[pos + 1] : '\0';
  if (pos + 1 >= text.size() || c == '\n') return decoded(pos + 1, '\\');
  size_t p = pos + 2;
  switch (c) {
    case 'n':
      return decoded(p, '\n');
    case 't':
      return decoded(p, '\t');
    case 'r':
      return decoded(p, '\r');
    case '\\':
    case '"':
    case '\'':
      return decoded(p, c);
    case 'x':
    case 'X': {
      int value = 0, digits = 0;
      for (; digits < 2 && p < text.size() && hex_value(text[p]) >= 0; digits++)
        value = value * 16 + hex_value(text[p++]);
      if (digits == 0) return failed(p, "invalid hex escape sequence");
      return decoded(p, value);
    }
    default:
      break;
  }
  if (c >= '0' && c <= '7') {
    int value = c - '0';
    for (int digits = 1; digits < 3 && p < text.size() && text[p] >= '0' && text[p] <= '7'; digits++)
      value = value * 8 + (text[p++] - '0');
    if (value > 255)
      return failed(p, "octal escape sequence out of range '" + std::string(text.substr(pos, p - pos)) + "'");
    return decoded(p, value);
  }
  unsigned char u = static_cast<unsigned char>(c);
  std::string shown(1, c);
  if (u < 0x20 || u >= 0x7f) {
    static const char kHex[] = "0123456789abcdef";
    shown = std::string("\\x") + kHex[u >> 4] + kHex[u & 15];
  }
  return failed(p, "invalid escape character '\\" + shown + "'");
}

}  // namespace btc
