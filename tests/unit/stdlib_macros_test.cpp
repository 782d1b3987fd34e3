// bpftrace standard library macros btc expands like script macros (compiler/expand/stdlib_macros):
// what assert() and ppid(task) become, their file name in ranges, and the script's own macros
// taking precedence.
#include "expand/stdlib_macros.h"

#include <gtest/gtest.h>

#include "ast/ast_dump.h"
#include "expand/macro_expansion.h"
#include "parse/parser.h"

namespace btc {
namespace {

struct Expanded {
  explicit Expanded(std::string src) : file("test.bt", std::move(src)), diags(file) {
    ok = parse_program(file, diags, &program) && expand_macros(program, diags);
  }
  std::string body() const {
    std::string out;
    for (const auto &s : program.probes.at(0).body) out += (out.empty() ? "" : "\n") + ast::dump(*s);
    return out;
  }
  SourceFile file;
  Diagnostics diags;
  ast::Program program;
  bool ok = false;
};

TEST(StdlibMacros, AssertBecomesErrorfAndExit) {
  Expanded e("BEGIN { assert($x > 1, \"too small\"); }");
  ASSERT_TRUE(e.ok);
  EXPECT_EQ(e.body(),
            "(blockexpr (if (! (> $x 1)) (then (call errorf \"assert failed: %s\" \"too small\") (call exit 1))) "
            "(novalue))");
}

TEST(StdlibMacros, RangesInsideNameStdlibBase) {
  ast::Program lib = stdlib_macros({});
  ASSERT_EQ(lib.macros.size(), 3u);  // assert, ppid, container_of
  const ast::Macro &assert_macro = lib.macros[0];
  EXPECT_EQ(assert_macro.name, "assert");
  const ast::Stmt &if_stmt = *assert_macro.body->body.at(0);
  const ast::Stmt &errorf = *if_stmt.body.at(0);
  EXPECT_STREQ(errorf.expr->range.file, "stdlib/base.bt");
  EXPECT_EQ(errorf.expr->range.begin.line, 6);  // bpftrace reports stdlib/base.bt:6:5-37
  EXPECT_EQ(errorf.expr->range.begin.col, 5);
  EXPECT_EQ(errorf.expr->range.end.col, 36);
}

TEST(StdlibMacros, PpidOfATaskIsItsRealParentsPid) {
  Expanded e("BEGIN { $p = ppid(curtask); $q = ppid; }");
  ASSERT_TRUE(e.ok);
  EXPECT_EQ(e.body(), "(= $p (blockexpr (value (. (. curtask real_parent) pid))))\n(= $q ppid)");
}

TEST(StdlibMacros, ContainerOfSubtractsTheMembersOffset) {
  Expanded e("struct Foo { int m; int n; } BEGIN { $f = container_of($p, typeof(struct Foo), n); }");
  ASSERT_TRUE(e.ok);
  EXPECT_EQ(e.body(),
            "(= $f (blockexpr (value (cast <struct Foo *> (- (cast <uint8 *> (blockexpr (value $p))) "
            "(offsetof <struct Foo> n))))))");
}

TEST(StdlibMacros, TheScriptsOwnMacroWins) {
  Expanded e("macro assert(x) { x + 1 } BEGIN { $a = assert(2); }");
  ASSERT_TRUE(e.ok);
  EXPECT_EQ(e.body(), "(= $a (blockexpr (value (+ 2 1))))");
  EXPECT_EQ(stdlib_macros({"assert"}).macros.size(), 2u);
}

}  // namespace
}  // namespace btc
