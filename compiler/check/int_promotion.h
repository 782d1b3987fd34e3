// bpftrace 0.26's integer typing of stored values. A literal has the smallest signed type that
// holds it (1 is int8, -1000 int16, above INT64_MAX uint64), and a non-negative literal is
// "flexible": it takes the sign of whatever it meets. A scratch variable, map key or map value
// has the join of every integer stored into it in the whole program (promote()); each stored
// value is then converted to that type, with a warning when the conversion may change it
// (fits_into()) and an error when a literal does not fit (literal_fits()).
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "ast/ast.h"
#include "types/types.h"

namespace btc {

struct IntShape {
  uint32_t size = 8;  // bytes: 1, 2, 4 or 8
  bool is_signed = true;
  bool flexible = false;  // a non-negative literal (or joins of only such): its sign may adapt

  bool operator==(const IntShape &o) const = default;
};

// The shape of an integer literal or a negated one; nullopt for any other expression
// (enumerators included: they keep their enum type).
std::optional<IntShape> literal_shape(const ast::Expr &e);

// The shape an integer expression stores: its literal shape, else its type's size and sign.
IntShape stored_shape(const ast::Expr &e);

inline IntShape shape_of(const Type &t) { return {t.size ? t.size : 8, t.is_signed, false}; }

// The smallest shape holding both; when the signs differ and no shape holds both, int64.
IntShape promote(const IntShape &current, const IntShape &next);

// Whether every value of `from` is a value of `to` (unsigned into signed needs a wider `to`).
bool fits_into(const IntShape &from, const IntShape &to);

// Whether the value of literal `e` (see literal_shape) is a value of `to`.
bool literal_fits(const ast::Expr &e, const IntShape &to);

// "int8", "uint64": the type names of bpftrace's messages.
std::string shape_name(const IntShape &s);

}  // namespace btc
