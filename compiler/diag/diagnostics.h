// Diagnostics: every refusal and warning of every phase goes through here.
// Rendered as
//   file:LINE:COL: error: message
//   <the source line>
//   <spaces>^~~~~   (caret under the first character, ~ under the rest of the range)
// followed, for a range inside a macro's expansion, by one "note: expanded from" in the same
// shape per macro call it came through, innermost first.
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "source/source.h"

namespace btc {

enum class Severity { Error, Warning, Note };

// Which phase refused the input; used by tests and to keep messages grouped.
enum class DiagKind {
  Lex,       // bad character, unterminated string, bad number
  Parse,     // unexpected token
  Probe,     // unknown probe type / bad attach point / missing tracepoint
  Name,      // unknown variable, map, builtin, function, field
  Type,      // operand types do not fit
  Semantic,  // anything else the checker refuses
  Tool,      // clang/bpftool/linker problems
};

struct Diagnostic {
  Severity severity;
  DiagKind kind;
  SourceRange range;
  std::string message;
};

class Diagnostics {
 public:
  explicit Diagnostics(const SourceFile &file) : file_(file) {}
  void error(DiagKind kind, SourceRange range, std::string message);
  void warning(DiagKind kind, SourceRange range, std::string message);
  void note(SourceRange range, std::string message);
  // Another file diagnostics may point into (an imported script): a range whose `file` is
  // `source->name().c_str()` is rendered with that file's line and caret. Must outlive rendering.
  void add_source(const SourceFile *source) { sources_.push_back(source); }
  bool has_errors() const { return errors_ > 0; }
  const std::vector<Diagnostic> &all() const { return diags_; }
  // Writes every diagnostic in the order reported.
  void render(std::ostream &out) const;
  void render_one(std::ostream &out, const Diagnostic &d) const;

 private:
  bool seen(Severity sev, SourceRange range, const std::string &message) const;
  void render_at(std::ostream &out, const char *sev, const SourceRange &range, const std::string &message) const;
  const SourceFile &file_;
  std::vector<const SourceFile *> sources_;
  std::vector<Diagnostic> diags_;
  int errors_ = 0;
};

// "did you mean X?" helper: the candidate closest to `name` by edit distance, or "" if none is close.
std::string closest_match(const std::string &name, const std::vector<std::string> &candidates);

}  // namespace btc
