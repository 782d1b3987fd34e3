// Reading the whole AST without changing it. Which fields of a node hold its children is
// written down here, once, so a phase that looks at every expression or statement (which maps
// are used, is there a loop, ...) says only what it does at the nodes it cares about.
//
// The children of a node, in source order (fields that are null are left out):
//   Stmt: lhs, decl_typeof, expr, iter, range_begin, range_end, then body, then else_body
//   Expr: body (a Block's statements), then args
#pragma once
#include <functional>
#include <vector>

#include "ast/ast.h"

namespace btc::ast {

// Calls on_expr for each child expression and on_stmt for each child statement of one node
// (not of its children), in the order above.
using ExprFn = std::function<void(const Expr &)>;
using StmtFn = std::function<void(const Stmt &)>;
void for_each_child(const Stmt &s, const ExprFn &on_expr, const StmtFn &on_stmt);
void for_each_child(const Expr &e, const ExprFn &on_expr, const StmtFn &on_stmt);

// What a visitor returns for a node: walk on into its children, or not (it has looked at them
// itself, or they do not matter).
enum class Walk { Children, SkipChildren };

// Called for every node walk() reaches. An empty function walks into every child.
struct Visitor {
  std::function<Walk(const Expr &)> expr;
  std::function<Walk(const Stmt &)> stmt;
};

// Pre-order: a node is visited, then (unless the visitor said SkipChildren) its children are
// walked one after the other in the order above.
void walk(const Expr &e, const Visitor &v);
void walk(const Stmt &s, const Visitor &v);
void walk(const std::vector<StmtPtr> &body, const Visitor &v);
void walk(const Probe &p, const Visitor &v);  // the predicate, then the body

// Walks the children of a node without visiting the node itself (for a visitor that handles a
// node but still wants its children walked, or only some of them).
void walk_children(const Expr &e, const Visitor &v);
void walk_children(const Stmt &s, const Visitor &v);

}  // namespace btc::ast
