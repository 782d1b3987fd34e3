#include "ast/ast_clone.h"

namespace btc::ast {

namespace {

ExprPtr clone_or_null(const ExprPtr &e) { return e ? clone(*e) : nullptr; }

}  // namespace

ExprPtr clone(const Expr &e) {
  auto c = std::make_unique<Expr>();
  c->kind = e.kind;
  c->range = e.range;
  c->ival = e.ival;
  c->uval = e.uval;
  c->is_unsigned_literal = e.is_unsigned_literal;
  c->name = e.name;
  c->sval = e.sval;
  c->op = e.op;
  c->is_prefix = e.is_prefix;
  c->is_arrow = e.is_arrow;
  c->cast_type = e.cast_type;
  c->text = e.text;
  for (const auto &a : e.args) c->args.push_back(clone_or_null(a));
  c->fields = e.fields;
  c->body = clone(e.body);
  c->type = e.type;
  return c;
}

StmtPtr clone(const Stmt &s) {
  auto c = std::make_unique<Stmt>();
  c->kind = s.kind;
  c->range = s.range;
  c->expr = clone_or_null(s.expr);
  c->lhs = clone_or_null(s.lhs);
  c->op = s.op;
  c->name = s.name;
  c->decl_type = s.decl_type;
  c->decl_typeof = clone_or_null(s.decl_typeof);
  c->count = s.count;
  c->iter = clone_or_null(s.iter);
  c->range_begin = clone_or_null(s.range_begin);
  c->range_end = clone_or_null(s.range_end);
  c->body = clone(s.body);
  c->else_body = clone(s.else_body);
  c->has_else = s.has_else;
  return c;
}

std::vector<StmtPtr> clone(const std::vector<StmtPtr> &stmts) {
  std::vector<StmtPtr> out;
  for (const auto &s : stmts) out.push_back(s ? clone(*s) : nullptr);
  return out;
}

}  // namespace btc::ast
