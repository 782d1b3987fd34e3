// A script's text and positions inside it. Every phase reports locations as SourceRange.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace btc {

struct SourceLoc {
  int line = 0;  // 1-based
  int col = 0;   // 1-based, in bytes
};

struct SourceRange {
  SourceLoc begin;
  SourceLoc end;  // inclusive last character; equal to begin for one character
  // The file the range lies in when it is not the script: text that btc itself supplies
  // (expand/stdlib_macros.h), named as bpftrace names it ("stdlib/base.bt"). nullptr: the script.
  const char *file = nullptr;
  // Inside a copy of a macro's body: the range of the call it was expanded at (itself inside
  // another macro's body when macros nest; see expand/macro_expansion.h). nullptr elsewhere.
  const SourceRange *expanded_from = nullptr;
};

class SourceFile {
 public:
  SourceFile(std::string name, std::string text);
  const std::string &name() const { return name_; }
  const std::string &text() const { return text_; }
  // The text of 1-based line `line`, without its newline ("" if out of range).
  std::string_view line(int line) const;
  // 1-based line/column of a byte offset.
  SourceLoc loc_of(size_t offset) const;

 private:
  std::string name_;
  std::string text_;
  std::vector<size_t> line_starts_;
};

}  // namespace btc
