// The shared read-only AST walker (compiler/ast/ast_walk.h): every child field is reached, in
// source order, pre-order, and a visitor can keep the walk out of a node's children.
#include "ast/ast_walk.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "parsed_program.h"

namespace btc::ast {
namespace {

ExprPtr var(const std::string &name) {
  auto e = std::make_unique<Expr>();
  e->kind = ExprKind::Var;
  e->name = name;
  return e;
}

StmtPtr expr_stmt(const std::string &name) {
  auto s = std::make_unique<Stmt>();
  s->kind = StmtKind::Expr;
  s->expr = var(name);
  return s;
}

// A statement with every child field set (no real statement has all of them); each child
// expression or statement is a variable named after its field.
StmtPtr stmt_with_every_field() {
  auto s = std::make_unique<Stmt>();
  s->kind = StmtKind::If;
  s->lhs = var("lhs");
  s->decl_typeof = var("decl_typeof");
  s->expr = var("expr");
  s->iter = var("iter");
  s->range_begin = var("range_begin");
  s->range_end = var("range_end");
  s->body.push_back(expr_stmt("body0"));
  s->body.push_back(expr_stmt("body1"));
  s->else_body.push_back(expr_stmt("else0"));
  return s;
}

// The name of a statement's expression, or of the expression itself.
std::string label(const Stmt &s) { return "S:" + (s.expr ? s.expr->name : std::string("?")); }
std::string label(const Expr &e) {
  switch (e.kind) {
    case ExprKind::Int:
      return "E:" + e.text;
    case ExprKind::Binary:
      return "E:" + e.op;
    case ExprKind::Block:
      return "E:{}";
    case ExprKind::Tuple:
      return "E:()";
    default:
      return "E:" + e.name;
  }
}

// The kind of a statement, for the order tests.
std::string kind(const Stmt &s) {
  switch (s.kind) {
    case StmtKind::Expr:
      return "Expr";
    case StmtKind::Assign:
      return "Assign";
    case StmtKind::If:
      return "If";
    case StmtKind::For:
      return "For";
    default:
      return "Stmt";
  }
}

// Every node walk() visits, in order, separated by spaces: statements by kind, expressions by label.
std::string visited(const Probe &p, Walk (*on_expr)(const Expr &) = nullptr) {
  std::string seen;
  Visitor v;
  v.stmt = [&](const Stmt &s) {
    seen += (seen.empty() ? "" : " ") + kind(s);
    return Walk::Children;
  };
  v.expr = [&](const Expr &e) {
    seen += (seen.empty() ? "" : " ") + label(e).substr(2);
    return on_expr ? on_expr(e) : Walk::Children;
  };
  walk(p, v);
  return seen;
}

TEST(AstWalk, EveryChildFieldOfAStatementInSourceOrder) {
  StmtPtr s = stmt_with_every_field();
  std::vector<std::string> seen;
  for_each_child(
      *s, [&](const Expr &e) { seen.push_back(label(e)); }, [&](const Stmt &c) { seen.push_back(label(c)); });
  EXPECT_EQ(seen, (std::vector<std::string>{"E:lhs", "E:decl_typeof", "E:expr", "E:iter", "E:range_begin",
                                            "E:range_end", "S:body0", "S:body1", "S:else0"}));
}

TEST(AstWalk, NullFieldsAreLeftOut) {
  Stmt s;
  s.kind = StmtKind::Return;  // `return;`: no value
  int calls = 0;
  for_each_child(
      s, [&](const Expr &) { calls++; }, [&](const Stmt &) { calls++; });
  EXPECT_EQ(calls, 0);
}

TEST(AstWalk, EveryChildFieldOfAnExpressionInSourceOrder) {
  Expr block;  // { body0; body1; value }
  block.kind = ExprKind::Block;
  block.body.push_back(expr_stmt("body0"));
  block.body.push_back(expr_stmt("body1"));
  block.args.push_back(var("value"));
  std::vector<std::string> seen;
  for_each_child(
      block, [&](const Expr &e) { seen.push_back(label(e)); }, [&](const Stmt &c) { seen.push_back(label(c)); });
  EXPECT_EQ(seen, (std::vector<std::string>{"S:body0", "S:body1", "E:value"}));
}

TEST(AstWalk, WalkReachesEveryFieldBelowTheNode) {
  StmtPtr s = stmt_with_every_field();
  std::vector<std::string> names;
  Visitor v;
  v.expr = [&](const Expr &e) {
    names.push_back(e.name);
    return Walk::Children;
  };
  walk(*s, v);  // no stmt function: every statement's children are walked
  EXPECT_EQ(names, (std::vector<std::string>{"lhs", "decl_typeof", "expr", "iter", "range_begin", "range_end", "body0",
                                             "body1", "else0"}));
}

TEST(AstWalk, PreOrderThroughProbesBlocksAndBranches) {
  test_support::Parsed p(
      "BEGIN /$p/ { $x = 1 + { $y = 2; $y }; if ($x) { @m[$x] = 3; } else { print(@m); } "
      "for ($i : 0..$x) { } }");
  ASSERT_TRUE(p.ok) << p.errors();
  ASSERT_EQ(p.program.probes.size(), 1u);
  EXPECT_EQ(visited(p.program.probes[0]),
            "$p "                                  // the predicate
            "Assign $x + 1 {} Assign $y 2 $y "     // $x = 1 + { $y = 2; $y };
            "If $x Assign @m $x 3 Expr print @m "  // if ($x) { @m[$x] = 3; } else { print(@m); }
            "For 0 $x");                           // for ($i : 0..$x) { }
}

TEST(AstWalk, SkipChildrenKeepsTheWalkOutOfThatNodeOnly) {
  test_support::Parsed p("BEGIN { $x = { $y = 2; $y } + 1; $z = ({ 3 }, 4); }");
  ASSERT_TRUE(p.ok) << p.errors();
  auto skip_blocks = [](const Expr &e) { return e.kind == ExprKind::Block ? Walk::SkipChildren : Walk::Children; };
  // The blocks are visited; nothing inside them is, but their siblings are.
  EXPECT_EQ(visited(p.program.probes[0], skip_blocks), "Assign $x + {} 1 Assign $z () {} 4");
  EXPECT_EQ(visited(p.program.probes[0]), "Assign $x + {} Assign $y 2 $y 1 Assign $z () {} 3 4");
}

TEST(AstWalk, SkippedStatementHidesItsBodies) {
  test_support::Parsed p("BEGIN { if (1) { $a = 1; } else { $b = 2; } $c = 3; }");
  ASSERT_TRUE(p.ok) << p.errors();
  std::vector<std::string> names;
  Visitor v;
  v.stmt = [](const Stmt &s) { return s.kind == StmtKind::If ? Walk::SkipChildren : Walk::Children; };
  v.expr = [&](const Expr &e) {
    names.push_back(e.name.empty() ? e.text : e.name);
    return Walk::Children;
  };
  walk(p.program.probes[0].body, v);
  EXPECT_EQ(names, (std::vector<std::string>{"$c", "3"}));
}

TEST(AstWalk, WalkChildrenLeavesOutTheNodeItself) {
  test_support::Parsed p("BEGIN { @m[1, 2] = 3; }");
  ASSERT_TRUE(p.ok) << p.errors();
  const Expr &map = *p.program.probes[0].body[0]->lhs;
  std::vector<std::string> seen;
  Visitor v;
  v.expr = [&](const Expr &e) {
    seen.push_back(e.kind == ExprKind::Map ? "map" : e.text);
    return Walk::Children;
  };
  walk_children(map, v);
  EXPECT_EQ(seen, (std::vector<std::string>{"1", "2"}));
}

}  // namespace
}  // namespace btc::ast
