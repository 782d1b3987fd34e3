#include "check/unreachable.h"

namespace btc {

using ast::Stmt;
using ast::StmtKind;

static bool block_leaves(const std::vector<ast::StmtPtr> &body, Diagnostics &diags);

// True when control never goes past `s`. Loops do not count: their body may not run, and
// break/continue inside them only leave the loop.
static bool statement_leaves(const Stmt &s) {
  switch (s.kind) {
    case StmtKind::Return:
    case StmtKind::Break:
    case StmtKind::Continue:
      return true;
    case StmtKind::Expr:
      return s.expr && s.expr->kind == ast::ExprKind::Call && s.expr->name == "exit" && s.expr->args.size() <= 1;
    default:
      return false;
  }
}

// Warns inside the blocks nested in `s`; true when `s` always leaves the block it is in.
static bool visit_statement(const Stmt &s, Diagnostics &diags) {
  switch (s.kind) {
    case StmtKind::If: {
      bool then_leaves = block_leaves(s.body, diags);
      bool else_leaves = block_leaves(s.else_body, diags);
      return s.has_else && then_leaves && else_leaves;
    }
    case StmtKind::Unroll:  // the count is at least 1
    case StmtKind::Block:
      return block_leaves(s.body, diags);
    case StmtKind::While:
    case StmtKind::For:
      block_leaves(s.body, diags);
      return false;
    default:
      return statement_leaves(s);
  }
}

// Warns on the first statement after one that leaves; true when the block leaves.
static bool block_leaves(const std::vector<ast::StmtPtr> &body, Diagnostics &diags) {
  bool leaves = false;
  for (size_t i = 0; i < body.size(); i++) {
    if (!visit_statement(*body[i], diags)) continue;
    if (!leaves && i + 1 < body.size()) diags.warning(DiagKind::Semantic, body[i + 1]->range, "Unreachable statement.");
    leaves = true;
  }
  return leaves;
}

void warn_unreachable_statements(const ast::Program &program, Diagnostics &diags) {
  for (const ast::Probe &probe : program.probes) block_leaves(probe.body, diags);
}

}  // namespace btc
