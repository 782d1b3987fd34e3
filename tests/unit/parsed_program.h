// Unit-test helpers for scripts: a parsed script (source file, diagnostics, AST) and the
// diagnostics as "LINE:COL-LINE:COL message" lines.
#pragma once

#include <string>

#include "parse/parser.h"

namespace btc::test_support {

// Every diagnostic as "LINE:COL-LINE:COL message", one per line.
inline std::string diagnostic_ranges(const Diagnostics &diags) {
  std::string s;
  for (const auto &d : diags.all()) {
    if (!s.empty()) s += "\n";
    s += std::to_string(d.range.begin.line) + ":" + std::to_string(d.range.begin.col) + "-" +
         std::to_string(d.range.end.line) + ":" + std::to_string(d.range.end.col) + " " + d.message;
  }
  return s;
}

struct Parsed {
  explicit Parsed(std::string src) : file("test.bt", std::move(src)), diags(file) {
    ok = parse_program(file, diags, &program);
  }
  SourceFile file;
  Diagnostics diags;
  ast::Program program;
  bool ok = false;

  std::string errors() const { return diagnostic_ranges(diags); }
};

}  // namespace btc::test_support
