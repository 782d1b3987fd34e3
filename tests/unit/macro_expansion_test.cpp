// Macro expansion (compiler/expand): what a call site becomes (compared as AST dumps), renaming
// for hygiene, and the refusals with their ranges.
#include "expand/macro_expansion.h"

#include <gtest/gtest.h>

#include <sstream>

#include "ast/ast_dump.h"
#include "parse/parser.h"

namespace btc {
namespace {

struct Expanded {
  explicit Expanded(std::string src) : file("test.bt", std::move(src)), diags(file) {
    parsed = parse_program(file, diags, &program);
    if (parsed) ok = expand_macros(program, diags);
  }
  SourceFile file;
  Diagnostics diags;
  ast::Program program;
  bool parsed = false;
  bool ok = false;

  // "LINE:COL severity: message" per diagnostic, one a line.
  std::string messages() const {
    std::string s;
    for (const auto &d : diags.all()) {
      if (!s.empty()) s += "\n";
      s += std::to_string(d.range.begin.line) + ":" + std::to_string(d.range.begin.col) +
           (d.severity == Severity::Note ? " note: " : " ") + d.message;
    }
    return s;
  }
};

// The statements of the only probe after expansion, one a line.
std::string expand(const std::string &src) {
  Expanded e(src);
  EXPECT_TRUE(e.parsed) << src;
  EXPECT_TRUE(e.ok) << src << "\n" << e.messages();
  EXPECT_TRUE(e.program.macros.empty());
  if (e.program.probes.size() != 1) return "<no probe>";
  std::string out;
  for (const auto &s : e.program.probes[0].body) out += (out.empty() ? "" : "\n") + ast::dump(*s);
  return out;
}

std::string errors(const std::string &src) {
  Expanded e(src);
  EXPECT_TRUE(e.parsed) << src;
  EXPECT_FALSE(e.ok) << src;
  return e.messages();
}

TEST(MacroExpansion, ExpressionParameterIsReplacedByTheArgument) {
  EXPECT_EQ(expand("macro add_one(x) { x + 1 } BEGIN { print(add_one(1 + 1)); }"),
            "(call print (blockexpr (value (+ (+ 1 1) 1))))");
}

TEST(MacroExpansion, VariableAndMapArgumentsToExpressionParametersBecomeValues) {
  EXPECT_EQ(expand("macro second(a, b) { (a, b) } BEGIN { $x = second(@m, $y); }"),
            "(= $x (blockexpr (value (tuple (blockexpr (value @m)) (blockexpr (value $y))))))");
}

TEST(MacroExpansion, VariableAndMapParametersNameTheCallersOnes) {
  EXPECT_EQ(expand("macro inc($x, @m) { $x += 1; @m[1] = $x; } BEGIN { $a = 1; inc($a, @b); }"),
            "(= $a 1)\n(blockexpr (+= $a 1) (= (@b 1) $a) (novalue))");
}

TEST(MacroExpansion, BodyVariablesAreRenamed) {
  EXPECT_EQ(expand("macro inc(x) { $y = x + 1; let $z = $y; $z } BEGIN { $y = 2; $r = inc(5); }"),
            "(= $y 2)\n(= $r (blockexpr (= $$inc_y (+ 5 1)) (let $$inc_z $$inc_y) (value $$inc_z)))");
}

TEST(MacroExpansion, NestedCallsAndDefinitionOrder) {
  EXPECT_EQ(expand("macro add2(y) { y + add1(y) } macro add1(x) { $t = x; $t + 1 } BEGIN { $r = add2(1); }"),
            "(= $r (blockexpr (value (+ 1 (blockexpr (= $$add1_2_t 1) (value (+ $$add1_2_t 1)))))))");
}

TEST(MacroExpansion, BareNameExpandsAMacroWithoutParameters) {
  EXPECT_EQ(expand("macro one() { 1 } BEGIN { $a = one; $b = one(); }"),
            "(= $a (blockexpr (value 1)))\n(= $b (blockexpr (value 1)))");
}

TEST(MacroExpansion, ParameterNamesWinOverMacros) {
  EXPECT_EQ(expand("macro add() { 2 } macro ident(add) { add } BEGIN { $r = ident(1); }"),
            "(= $r (blockexpr (value 1)))");
}

TEST(MacroExpansion, DefinitionsAreChosenByParameterKind) {
  EXPECT_EQ(expand("macro f($x) { 1 } macro f(x) { 2 } BEGIN { $a = 0; $r = f($a); $s = f(3); }"),
            "(= $a 0)\n(= $r (blockexpr (value 1)))\n(= $s (blockexpr (value 2)))");
}

TEST(MacroExpansion, BuiltinsKeepTheirMeaningWhenNoDefinitionFits) {
  EXPECT_EQ(expand("macro cpu(x) { x } BEGIN { $a = cpu(\"hi\"); $b = cpu; }"),
            "(= $a (blockexpr (value \"hi\")))\n(= $b cpu)");
}

TEST(MacroExpansion, Recursion) {
  EXPECT_EQ(errors("macro a(x) { b(x) } macro b(x) { a(x) } BEGIN { a(1); }"),
            "1:34 Recursive macro call detected. Call chain: a > b > a");
}

TEST(MacroExpansion, WrongNumberOfArguments) {
  EXPECT_EQ(errors("macro add(x, y) { x + y }\nBEGIN { add(1); }"),
            "2:9 Call to add() has arguments that do not match any definition.\n"
            "1:7 note: The closest definition of add() has a different number of arguments. Expected: 2 but got 1");
  EXPECT_EQ(errors("macro add(x) { x }\nBEGIN { $a = add; }"),
            "2:14 Call to add() has arguments that do not match any definition.\n"
            "1:7 note: The closest definition of add() has a different number of arguments. Expected: 1 but got 0");
}

TEST(MacroExpansion, WrongArgumentKinds) {
  EXPECT_EQ(errors("macro set(@m, $v) { @m = $v; }\nBEGIN { set($a, @b); }"),
            "2:9 Call to set() has arguments that do not match any definition.\n"
            "2:13 Mismatched arg. set() expects a map for arg @m but got a variable.\n"
            "1:11 note: This is the argument in the closest definition.\n"
            "2:17 Mismatched arg. set() expects a variable for arg $v but got a map.\n"
            "1:15 note: This is the argument in the closest definition.");
  EXPECT_EQ(errors("macro inc($x) { $x++ }\nBEGIN { inc(1 + 1); }"),
            "2:9 Call to inc() has arguments that do not match any definition.\n"
            "2:13 Mismatched arg. inc() expects a variable for arg $x but got an expression.\n"
            "1:11 note: This is the argument in the closest definition.");
}

TEST(MacroExpansion, MapsMustBePassedIn) {
  EXPECT_EQ(errors("macro f() { @x++ }\nBEGIN { f(); }"),
            "1:13 Unhygienic access to map: @x. Maps must be passed into the macro as arguments.");
}

// The first statement's expression of the only probe after expansion.
const ast::Expr &first_expr(const Expanded &e) { return *e.program.probes.at(0).body.at(0)->expr; }

TEST(MacroExpansion, CopiedBodyRangesNameTheCallSite) {
  Expanded e("macro bad() { errorf(\"x\"); }\nBEGIN { bad(); }");
  ASSERT_TRUE(e.ok) << e.messages();
  const ast::Expr &block = first_expr(e);  // the body, at the call's range
  EXPECT_EQ(block.range.begin.line, 2);
  EXPECT_EQ(block.range.expanded_from, nullptr);
  const SourceRange &call = block.body.at(0)->expr->range;  // errorf(...) inside the body
  EXPECT_EQ(call.begin.line, 1);
  EXPECT_EQ(call.begin.col, 15);
  ASSERT_NE(call.expanded_from, nullptr);
  EXPECT_EQ(call.expanded_from->begin.line, 2);
  EXPECT_EQ(call.expanded_from->begin.col, 9);
  EXPECT_EQ(call.expanded_from->expanded_from, nullptr);
}

TEST(MacroExpansion, NestedCallSitesChainAndArgumentsKeepTheirRanges) {
  Expanded e("macro inner(x) { x + 1 }\nmacro outer(y) { inner(y) }\nBEGIN { $r = outer(7); }");
  ASSERT_TRUE(e.ok) << e.messages();
  const ast::Expr *v = &first_expr(e);                              // outer's body
  while (v->kind == ast::ExprKind::Block) v = v->args.at(0).get();  // down to x + 1
  ASSERT_EQ(v->kind, ast::ExprKind::Binary);
  const SourceRange &plus = v->range;  // in inner's body, expanded at inner(y), itself in outer's body
  ASSERT_NE(plus.expanded_from, nullptr);
  EXPECT_EQ(plus.expanded_from->begin.line, 2);
  ASSERT_NE(plus.expanded_from->expanded_from, nullptr);
  EXPECT_EQ(plus.expanded_from->expanded_from->begin.line, 3);
  EXPECT_EQ(plus.expanded_from->expanded_from->expanded_from, nullptr);
  const SourceRange &seven = v->args.at(0)->range;  // the argument, written at the outer call
  EXPECT_EQ(seven.begin.line, 3);
  EXPECT_EQ(seven.expanded_from, nullptr);
}

TEST(MacroExpansion, DiagnosticsInsideABodyNoteTheCallSites) {
  Expanded e("macro f() { @x++ }\nmacro g() { f() }\nBEGIN { g(); }");
  std::ostringstream out;
  e.diags.render(out);
  EXPECT_EQ(out.str(),
            "test.bt:1:13: error: Unhygienic access to map: @x. Maps must be passed into the macro as arguments.\n"
            "macro f() { @x++ }\n"
            "            ^~\n"
            "test.bt:2:13: note: expanded from\n"
            "macro g() { f() }\n"
            "            ^~~\n"
            "test.bt:3:9: note: expanded from\n"
            "BEGIN { g(); }\n"
            "        ^~~\n");
}

TEST(MacroExpansion, DefinitionErrors) {
  EXPECT_EQ(errors("macro f(x) { 1 }\nmacro f(y) { 2 }\nBEGIN { }"),
            "2:7 Redefinition of macro: f\n1:7 note: This is the original definition.");
  EXPECT_EQ(errors("macro f($x, $x) { 1 } BEGIN { }"), "1:13 Variable for macro argument has already been used: $x");
  EXPECT_EQ(errors("macro f($x) { let $x = 1; } BEGIN { $a = 1; f($a); }"),
            "1:15 Variable declaration shadows macro arg $x");
}

}  // namespace
}  // namespace btc
