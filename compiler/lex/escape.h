// Escape sequences inside string and character literals: \n \t \r \\ \" \' \xNN \NNN.
#pragma once
#include <string>
#include <string_view>

namespace btc {

struct Escape {
  size_t end = 0;  // offset just past the escape sequence
  bool ok = false;
  char value = 0;     // the byte it stands for, when ok
  std::string error;  // bpftrace-like message, when !ok
};

// Decodes the escape sequence whose backslash is at text[pos]. A backslash at the end of the text
// or of a line is reported as ok with end == pos + 1 and value '\\', for the caller to treat as
// an unterminated literal.
Escape decode_escape(std::string_view text, size_t pos);

}  // namespace btc
