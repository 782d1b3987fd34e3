#include "parse/attach_point.h"

#include <cctype>

namespace btc {

namespace {

bool is_uprobe(const std::string &provider) {
  return provider == "uprobe" || provider == "u" || provider == "uretprobe" || provider == "ur";
}

std::vector<std::string> split_pieces(const std::string &raw) {
  std::vector<std::string> pieces;
  std::string cur;
  bool quoted = false;
  for (size_t i = 0; i < raw.size(); i++) {
    char c = raw[i];
    if (quoted) {
      if (c == '\\' && i + 1 < raw.size())
        cur += raw[++i];
      else if (c == '"')
        quoted = false;
      else
        cur += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == '@' && !pieces.empty() && is_uprobe(pieces[0])) {
      // uprobe:BIN@FILE:LINE: the '@' ends the binary and stands as a piece of its own.
      pieces.push_back(std::move(cur));
      cur.clear();
      pieces.emplace_back("@");
    } else if (c == ':') {
      // "ns::f" inside a symbol (after the provider, with text before it) is not a separator; usdt
      // names have no scopes (usdt:BIN::name has an empty provider).
      bool usdt = !pieces.empty() && (pieces[0] == "usdt" || pieces[0] == "U");
      bool scope =
          !pieces.empty() && !usdt && !cur.empty() && i + 2 < raw.size() && raw[i + 1] == ':' && raw[i + 2] != ':';
      if (scope) {
        cur += "::";
        i++;
      } else {
        pieces.push_back(std::move(cur));
        cur.clear();
      }
    } else {
      cur += c;
    }
  }
  pieces.push_back(std::move(cur));
  return pieces;
}

// "16" or "0x10" -> value; false for anything else.
bool parse_offset(const std::string &s, uint64_t *out) {
  if (s.empty()) return false;
  bool hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
  uint64_t base = hex ? 16 : 10;
  uint64_t v = 0;
  for (size_t i = hex ? 2 : 0; i < s.size(); i++) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    uint64_t d;
    if (std::isdigit(c))
      d = c - '0';
    else if (hex && std::isxdigit(c))
      d = static_cast<uint64_t>(std::tolower(c) - 'a' + 10);
    else
      return false;
    if (v > (UINT64_MAX - d) / base) return false;
    v = v * base + d;
  }
  *out = v;
  return true;
}

}  // namespace

ast::AttachPoint split_attach_point(const std::string &raw, SourceRange range) {
  ast::AttachPoint ap;
  ap.raw = raw;
  ap.range = range;
  std::vector<std::string> pieces = split_pieces(raw);
  ap.provider = pieces[0];
  ap.parts.assign(pieces.begin() + 1, pieces.end());
  if (ap.parts.size() >= 2 && ap.parts[1] == "@") {  // uprobe:BIN@FILE:LINE[:COL]: no function
    ap.target = ap.parts[0];
    return ap;
  }
  if (ap.parts.size() == 1) {
    ap.func = ap.parts[0];
  } else if (ap.parts.size() >= 2) {
    ap.target = ap.parts.front();
    ap.func = ap.parts.back();
  }
  size_t plus = ap.func.rfind('+');
  uint64_t offset = 0;
  if (plus != std::string::npos && plus > 0 && parse_offset(ap.func.substr(plus + 1), &offset)) {
    ap.func.resize(plus);
    ap.offset = offset;
    ap.has_offset = true;
  }
  return ap;
}

}  // namespace btc
