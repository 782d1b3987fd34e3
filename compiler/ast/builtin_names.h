// bpftrace's builtin and function names in one table, with the questions the phases ask of it:
// the parser (is this name a value?), macro expansion (does a call that fits no macro fall back
// to bpftrace's own meaning?) and the checker (pid() is pid; which functions to suggest).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace btc::ast {

// A builtin variable bpftrace defines (pid, comm, args, ...): a value, never a type, so
// `(pid) * 2` multiplies.
bool is_builtin_variable(std::string_view name);

// A builtin variable that bpftrace's standard library also lets a script call with no
// arguments: pid() is pid.
bool is_bare_callable(std::string_view name);

// A call of this name that fits none of a user macro's definitions keeps bpftrace's own
// meaning instead of being reported as a macro mismatch: every name of the table, including
// bpftrace's that btc does not implement (the checker reports those).
bool macro_mismatch_falls_back(std::string_view name);

// The functions offered by "unknown function ..., did you mean": in the order ties are broken.
const std::vector<std::string> &function_hints();

}  // namespace btc::ast
