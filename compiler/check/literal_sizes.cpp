#include "check/literal_sizes.h"

#include <algorithm>

#include "ast/ast_walk.h"

namespace btc {

using ast::Expr;
using ast::ExprKind;
using ast::Stmt;
using ast::StmtKind;

namespace {

uint32_t smallest_signed(uint64_t v) { return v <= 0x7f ? 1 : v <= 0x7fff ? 2 : v <= 0x7fffffff ? 4 : 8; }

}  // namespace

uint32_t literal_width(const Expr &e) {
  if (e.kind == ExprKind::Int && e.name.empty()) return e.is_unsigned_literal ? 8 : smallest_signed(e.uval);
  if (e.kind != ExprKind::Unary || e.op != "-" || e.args.empty()) return 0;
  const Expr &lit = *e.args[0];
  if (lit.kind != ExprKind::Int || !lit.name.empty()) return 0;
  if (lit.is_unsigned_literal && lit.uval != 1ull << 63) return 0;  // only -9223372036854775808 is an int64
  return lit.uval == 0 ? 1 : smallest_signed(lit.uval - 1);  // -128 still fits int8
}

uint32_t literal_var_width(const ast::Probe &probe, const std::string &name) {
  // Folds the assignments to the variable: width grows to the widest literal; `other` is set once
  // anything but a plain literal assignment is seen.
  uint32_t width = 0;
  bool other = false;
  ast::Visitor fold;
  fold.stmt = [&](const Stmt &s) {
    if (s.kind == StmtKind::Assign && s.lhs && s.lhs->kind == ExprKind::Var && s.lhs->name == name) {
      uint32_t w = s.op == "=" && s.expr ? literal_width(*s.expr) : 0;
      if (w == 0) other = true;
      width = std::max(width, w);
    }
    if ((s.kind == StmtKind::Let || s.kind == StmtKind::For) && s.name == name) other = true;
    return ast::Walk::Children;
  };
  fold.expr = [&](const Expr &e) {
    if (e.kind == ExprKind::IncDec && !e.args.empty() && e.args[0]->kind == ExprKind::Var && e.args[0]->name == name)
      other = true;
    return ast::Walk::Children;
  };
  ast::walk(probe.body, fold);
  return other ? 0 : width;
}

}  // namespace btc
