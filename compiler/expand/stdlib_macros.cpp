#include "expand/stdlib_macros.h"

#include "diag/diagnostics.h"
#include "parse/parser.h"
#include "source/source.h"

namespace btc {
namespace {

const char kStdlibFile[] = "stdlib/base.bt";

// Positions matter: bpftrace reports an assert from stdlib/base.bt:6:5-37, so the errorf call
// below stays on line 6, column 5.
const char kStdlibText[] =
    "// bpftrace standard library macros that btc expands like script macros.\n"
    "// assert(cond, msg): a failed condition prints msg as an error and ends the tool\n"
    "// with exit status 1.\n"
    "macro assert(cond, msg) {\n"
    "  if (!cond) {\n"
    "    errorf(\"assert failed: %s\", msg);\n"
    "    exit(1);\n"
    "  }\n"
    "}\n"
    "\n"
    "// ppid(task): the pid of a task's real parent (ppid alone is the current task's).\n"
    "macro ppid(task) { task.real_parent.pid }\n"
    "\n"
    "// container_of(ptr, type, member): the object of `type` (typeof(...)) whose `member` ptr\n"
    "// points to.\n"
    "macro container_of(ptr, type, member) { (type *)((uint8 *)ptr - offsetof(type, member)) }\n";

void mark(ast::Expr &e);

void mark(ast::Stmt &s) {
  s.range.file = kStdlibFile;
  for (ast::ExprPtr *e : {&s.expr, &s.lhs, &s.iter, &s.range_begin, &s.range_end})
    if (*e) mark(**e);
  for (auto &b : s.body) mark(*b);
  for (auto &b : s.else_body) mark(*b);
}

void mark(ast::Expr &e) {
  e.range.file = kStdlibFile;
  for (auto &a : e.args) mark(*a);
  for (auto &b : e.body) mark(*b);
}

}  // namespace

ast::Program stdlib_macros(const std::set<std::string> &skip) {
  SourceFile file(kStdlibFile, kStdlibText);
  Diagnostics diags(file);
  ast::Program parsed, out;
  if (!parse_program(file, diags, &parsed)) return out;  // cannot happen: the text is fixed
  for (auto &m : parsed.macros) {
    if (skip.count(m.name)) continue;
    m.range.file = kStdlibFile;
    for (auto &p : m.params) p.range.file = kStdlibFile;
    if (m.body) mark(*m.body);
    out.macros.push_back(std::move(m));
  }
  return out;
}

}  // namespace btc
