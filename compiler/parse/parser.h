// The parser: tokens -> AST (compiler/ast/ast.h). Hand-written recursive descent.
//
// Accepts bpftrace v0.26 scripts in both classic and new syntax (BEGIN/begin, args->x/args.x,
// `if (x) {` / `if x {`). Every refusal goes to the Diagnostics with DiagKind::Lex or
// DiagKind::Parse and the range of the offending token(s). After an error inside a top-level item
// the parser skips to the next item and carries on, so one run can report several errors.
#pragma once
#include "ast/ast.h"
#include "diag/diagnostics.h"
#include "source/source.h"

namespace btc {

// Returns false if any error was reported to diags (then *out holds what could be parsed).
bool parse_program(const SourceFile &file, Diagnostics &diags, ast::Program *out);

}  // namespace btc
