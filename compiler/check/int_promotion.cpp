#include "check/int_promotion.h"

#include <algorithm>
#include <limits>

#include "check/literal_sizes.h"

namespace btc {

using ast::Expr;
using ast::ExprKind;

namespace {

// The largest value of a shape.
uint64_t max_of(const IntShape &s) {
  uint64_t all = s.size >= 8 ? std::numeric_limits<uint64_t>::max() : (1ull << (8 * s.size)) - 1;
  return s.is_signed ? all >> 1 : all;
}

}  // namespace

// The sizes are those sizeof() gives literals (check/literal_sizes.h).
std::optional<IntShape> literal_shape(const Expr &e) {
  uint32_t width = literal_width(e);
  if (width == 0) return std::nullopt;
  if (e.kind == ExprKind::Int) return e.is_unsigned_literal ? IntShape{8, false, false} : IntShape{width, true, true};
  return IntShape{width, true, e.args[0]->uval == 0};  // -N (-0 is 0)
}

IntShape stored_shape(const Expr &e) {
  if (auto s = literal_shape(e)) return *s;
  return shape_of(e.type);
}

IntShape promote(const IntShape &current, const IntShape &next) {
  bool flexible = current.flexible && next.flexible;
  uint32_t wider = std::max(current.size, next.size);
  if (current.is_signed == next.is_signed) return {wider, current.is_signed, flexible};
  // A flexible side takes the other's sign.
  if (current.flexible || next.flexible) {
    bool sign = (!current.flexible && current.is_signed) || (!next.flexible && next.is_signed);
    return {wider, sign, flexible};
  }
  // A signed side strictly wider than the unsigned one holds both.
  if (current.is_signed && current.size > next.size) return {current.size, true, false};
  if (next.is_signed && next.size > current.size) return {next.size, true, false};
  // Otherwise a signed type twice as wide, and when there is none, int64 (which may not hold both).
  return {std::min<uint32_t>(wider * 2, 8), true, false};
}

bool fits_into(const IntShape &from, const IntShape &to) {
  if (from.is_signed == to.is_signed || from.flexible) return from.size <= to.size;
  if (!from.is_signed) return from.size < to.size;
  return false;  // a signed value never fits an unsigned type
}

bool literal_fits(const Expr &e, const IntShape &to) {
  if (!literal_shape(e)) return true;
  if (e.kind == ExprKind::Int) return e.uval <= max_of(to);
  uint64_t magnitude = e.args[0]->uval;
  return magnitude == 0 || (to.is_signed && magnitude - 1 <= max_of(to));  // -(max + 1) is the smallest value
}

std::string shape_name(const IntShape &s) { return (s.is_signed ? "int" : "uint") + std::to_string(8 * s.size); }

}  // namespace btc
