#include "ast/ast_walk.h"

namespace btc::ast {

void for_each_child(const Stmt &s, const ExprFn &on_expr, const StmtFn &on_stmt) {
  for (const ExprPtr *e : {&s.lhs, &s.decl_typeof, &s.expr, &s.iter, &s.range_begin, &s.range_end})
    if (*e) on_expr(**e);
  for (const auto &b : s.body) on_stmt(*b);
  for (const auto &b : s.else_body) on_stmt(*b);
}

void for_each_child(const Expr &e, const ExprFn &on_expr, const StmtFn &on_stmt) {
  for (const auto &b : e.body) on_stmt(*b);
  for (const auto &a : e.args)
    if (a) on_expr(*a);
}

void walk_children(const Expr &e, const Visitor &v) {
  for_each_child(
      e, [&](const Expr &c) { walk(c, v); }, [&](const Stmt &c) { walk(c, v); });
}

void walk_children(const Stmt &s, const Visitor &v) {
  for_each_child(
      s, [&](const Expr &c) { walk(c, v); }, [&](const Stmt &c) { walk(c, v); });
}

void walk(const Expr &e, const Visitor &v) {
  if (v.expr && v.expr(e) == Walk::SkipChildren) return;
  walk_children(e, v);
}

void walk(const Stmt &s, const Visitor &v) {
  if (v.stmt && v.stmt(s) == Walk::SkipChildren) return;
  walk_children(s, v);
}

void walk(const std::vector<StmtPtr> &body, const Visitor &v) {
  for (const auto &s : body) walk(*s, v);
}

void walk(const Probe &p, const Visitor &v) {
  if (p.predicate) walk(*p.predicate, v);
  walk(p.body, v);
}

}  // namespace btc::ast
