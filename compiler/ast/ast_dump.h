// An s-expression rendering of the AST, for golden tests and `btc --dump-ast`.
//   Expr:  42  "str"  true  $x  @m  (@m k1 k2)  pid  $1  $#  (call f a b)  (- x)  (+ a b)
//          (pre++ $x)  (post-- @m)  (? c a b)  (. x field)  (-> x field)  (. x 0)  ([] x i)
//          (tuple a b)  (record (= a E) (= b E))  (cast <struct task_struct *> x)  (sizeof <uint32>)  (sizeof x)
//          (offsetof <struct s> f.g)  (blockexpr S... (value E))  (blockexpr S... (novalue))
//   Stmt:  E  (= lhs rhs)  (+= lhs rhs)  (let $x <type> E)  (if C (then S...) (else S...))
//          (while C S...)  (unroll N S...)  (for $kv @m S...)  (for $i (.. a b) S...)
//          (break)  (continue)  (return [E])  (block S...)
//   Probe: (probe (ap1 ap2) (pred E) S...)
//   Macro: (macro name (params $x @m y) (blockexpr ...))
#pragma once
#include <string>

#include "ast/ast.h"

namespace btc::ast {

std::string dump(const Expr &e);
std::string dump(const Stmt &s);
std::string dump(const Probe &p);
std::string dump(const Macro &m);
// provider=.. target=.. func=.. [offset=N] parts=[a,b]
std::string dump(const AttachPoint &ap);
// One line per item: (comment ..), (c ..), (config ..), (map-decl ..), (macro ..), (probe ..).
std::string dump(const Program &p);
// "a\"b\n" -> "\"a\\\"b\\n\"": C-style quoting used for strings in dumps.
std::string quote(const std::string &s);

}  // namespace btc::ast
