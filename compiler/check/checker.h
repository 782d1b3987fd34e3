// Semantic analysis: resolves attach points, gives every expression a type, collects maps and
// printf formats into ProgramInfo. Reports problems through Diagnostics; never throws.
#pragma once
#include "ast/ast.h"
#include "btf/kernel_btf.h"
#include "check/program_info.h"
#include "diag/diagnostics.h"

namespace btc {

// `btf` may be null (then kernel types and BTF tracepoint structs are unavailable).
// Returns false if an error was reported.
bool check_program(ast::Program &program, const KernelBtf *btf, Diagnostics &diags, ProgramInfo *info);

}  // namespace btc
