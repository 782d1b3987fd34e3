// Statements that can never run: bpftrace warns "Unreachable statement." on the first
// statement after one that always leaves its block (return, exit(), break, continue, an
// if whose branches both leave, an unroll or { } block that leaves). The program still
// compiles; the unreachable statements are type-checked but never run.
#pragma once
#include "ast/ast.h"
#include "diag/diagnostics.h"

namespace btc {

void warn_unreachable_statements(const ast::Program &program, Diagnostics &diags);

}  // namespace btc
