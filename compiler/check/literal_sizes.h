// sizeof() of integer literals and of $variables holding only literals, as bpftrace 0.26 gives
// them: a literal has the smallest signed type that holds it (int8 for 1, int16 for 200, uint64
// above INT64_MAX) and a variable the widest type assigned to it anywhere in its probe.
// btc itself keeps such values 64-bit, so only sizeof() asks for these sizes.
#pragma once
#include <cstdint>
#include <string>

#include "ast/ast.h"

namespace btc {

// The byte size of an integer literal or a negated one; 0 for any other expression.
uint32_t literal_width(const ast::Expr &e);

// The byte size of $variable `name` when every assignment to it in `probe` is `name = literal`;
// 0 when any is something else (arithmetic, ++, a declaration, a loop variable), or none exists.
uint32_t literal_var_width(const ast::Probe &probe, const std::string &name);

}  // namespace btc
