// A script parsed for a unit test: the source file, its diagnostics and the AST.
#pragma once

#include <string>

#include "parse/parser.h"

namespace btc::test_support {

struct Parsed {
  explicit Parsed(std::string src) : file("test.bt", std::move(src)), diags(file) {
    ok = parse_program(file, diags, &program);
  }
  SourceFile file;
  Diagnostics diags;
  ast::Program program;
  bool ok = false;

  // Every diagnostic as "LINE:COL-LINE:COL message", one per line.
  std::string errors() const {
    std::string s;
    for (const auto &d : diags.all()) {
      if (!s.empty()) s += "\n";
      s += std::to_string(d.range.begin.line) + ":" + std::to_string(d.range.begin.col) + "-" +
           std::to_string(d.range.end.line) + ":" + std::to_string(d.range.end.col) + " " + d.message;
    }
    return s;
  }
};

}  // namespace btc::test_support
