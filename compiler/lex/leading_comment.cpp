// The leading comment block of a script, shown by a compiled tool's --help.
#include <vector>

#include "lex/lexer.h"

namespace btc {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view trim_left(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  return s;
}

// One line inside a /* */ block: drop the " * " decoration if the line has it.
std::string_view strip_block_decoration(std::string_view line) {
  std::string_view t = trim_left(line);
  if (t.empty()) return t;
  if (t[0] != '*') return line;
  t.remove_prefix(1);
  if (!t.empty() && t[0] == ' ') t.remove_prefix(1);
  return t;
}

}  // namespace

std::string extract_leading_comment(std::string_view text) {
  std::vector<std::string_view> lines;
  for (size_t start = 0; start <= text.size();) {
    size_t eol = text.find('\n', start);
    if (eol == std::string_view::npos) eol = text.size();
    lines.push_back(text.substr(start, eol - start));
    start = eol + 1;
  }
  size_t i = 0;
  if (text.substr(0, 2) == "#!") i++;
  while (i < lines.size() && trim_left(lines[i]).empty()) i++;

  std::vector<std::string> out;
  bool done = false;
  while (!done && i < lines.size()) {
    std::string_view line = trim_left(lines[i]);
    if (line.substr(0, 2) == "//") {
      line.remove_prefix(2);
      if (!line.empty() && line[0] == ' ') line.remove_prefix(1);
      out.emplace_back(trim_right(line));
      i++;
      continue;
    }
    if (line.substr(0, 2) != "/*") break;
    // A block comment, possibly spanning lines.
    std::string_view content = line.substr(2);
    if (!content.empty() && content[0] == ' ') content.remove_prefix(1);
    bool first = true;
    while (i < lines.size()) {
      if (!first) content = lines[i];
      size_t close = content.find("*/");
      std::string_view piece = close == std::string_view::npos ? content : content.substr(0, close);
      if (!first) piece = strip_block_decoration(piece);
      out.emplace_back(trim_right(piece));
      first = false;
      i++;
      if (close != std::string_view::npos) {
        // Code after the comment on the same line ends the block.
        if (!trim_left(content.substr(close + 2)).empty()) done = true;
        break;
      }
    }
  }
  size_t b = 0, e = out.size();
  while (b < e && out[b].empty()) b++;
  while (e > b && out[e - 1].empty()) e--;
  std::string result;
  for (size_t k = b; k < e; k++) {
    if (k > b) result += '\n';
    result += out[k];
  }
  return result;
}

}  // namespace btc
