// Macros of bpftrace's standard library that btc expands like the script's own: assert(cond, msg)
// and ppid(task). They are written in the script language (stdlib_macros.cpp) and parsed as the
// file "stdlib/base.bt", the name bpftrace gives them in messages (an assert's errorf reports
// "stdlib/base.bt:6:5-37"); every range inside them carries that name (SourceRange::file).
#pragma once
#include <set>
#include <string>

#include "ast/ast.h"

namespace btc {

// The standard library's macros, parsed; those named in `skip` (the script defines its own) are left out.
ast::Program stdlib_macros(const std::set<std::string> &skip);

}  // namespace btc
