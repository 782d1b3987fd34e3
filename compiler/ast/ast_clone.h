// Deep copies of AST nodes (used to paste a macro's body into each of its call sites).
// Checker-filled fields are copied as they are.
#pragma once
#include "ast/ast.h"

namespace btc::ast {

ExprPtr clone(const Expr &e);
StmtPtr clone(const Stmt &s);
std::vector<StmtPtr> clone(const std::vector<StmtPtr> &stmts);

}  // namespace btc::ast
