// Macro expansion: the pass between parse and check.
//
// Every use of a script macro -- `name(args)`, or a bare `name` for a macro without parameters --
// is replaced by a Block expression holding a copy of the macro's body, and the definitions are
// then dropped from the program. Inside the copy:
//   - a `$x` parameter becomes the caller's variable (the body may change it),
//   - an `@m` parameter becomes the caller's map,
//   - a bare `x` parameter is replaced by a copy of the argument expression wherever `x` appears
//     (a variable or map argument is wrapped in a Block, so the body cannot assign to it),
//   - variables the body assigns or declares are renamed `$$<macro>[_<depth>]_<name>`, so they
//     neither leak out nor collide with the caller's,
//   - any other map is refused: a macro only touches maps passed to it.
// Macros may call macros (in any definition order); recursion is refused. A call whose
// arguments fit no definition is refused, unless the name is also a builtin or function, which
// the call then keeps meaning.
#pragma once
#include "ast/ast.h"
#include "diag/diagnostics.h"

namespace btc {

// Returns false if an error was reported.
bool expand_macros(ast::Program &program, Diagnostics &diags);

}  // namespace btc
