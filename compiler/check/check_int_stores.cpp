// Storing integers into scratch variables, map values and map keys with bpftrace 0.26's
// promotion rules (check/int_promotion.h). The joins grow over the quiet passes until they no
// longer change, so the reporting pass (and the emitter) sees every slot's final type; that pass
// warns about conversions that may change a value and refuses literals that do not fit.
#include "check/checker_impl.h"

namespace btc::checker_internal {

namespace {

// Joins `s` into this pass's join of `key` and gives the slot's type: the previous pass's join when
// there is one (so every read of the slot in this pass sees the same type), else this pass's.
template <class Key>
IntShape join_into(std::map<Key, IntShape> &joins, const std::map<Key, IntShape> *before, const Key &key,
                   const IntShape &s, bool *grew) {
  auto it = joins.find(key);
  IntShape j = it == joins.end() ? s : promote(it->second, s);
  if (it != joins.end() && !(j == it->second)) *grew = true;
  joins[key] = j;
  if (before) {
    auto b = before->find(key);
    if (b != before->end()) return b->second;
  }
  return j;
}

// `t` with the size and sign of `s` (an enum keeps its name while its shape is unchanged).
Type with_shape(const Type &t, const IntShape &s) {
  if (t.size == s.size && t.is_signed == s.is_signed) return t;
  return Type::integer(s.size, s.is_signed);
}

}  // namespace

// A stored integer converted to `to`: a literal must fit; another value that may change gets
// bpftrace's warning (bpftrace inserts the same implicit cast). `holder` is "variable" or "map".
void Checker::convert_int(const Expr &e, const IntShape &to, const std::string &name, const char *holder,
                          SourceRange r) {
  if (quiet_) return;
  if (auto lit = literal_shape(e)) {
    if (!literal_fits(e, to))
      error(DiagKind::Type, r,
            "Type mismatch for " + name + ": trying to assign value of type '" + shape_name(*lit) + "' when " + holder +
                " already has a type '" + shape_name(to) + "'");
    return;
  }
  warn_int_conversion(shape_of(e.type), to, e.range);
}

// bpftrace's warning for a value of shape `from` implicitly converted to `to` when it may change.
void Checker::warn_int_conversion(const IntShape &from, const IntShape &to, SourceRange r) {
  if (quiet_ || (from.size == to.size && from.is_signed == to.is_signed) || fits_into(from, to)) return;
  diags_.warning(DiagKind::Type, r,
                 "Expression of type: " + shape_name(from) + " being cast to type: " + shape_name(to) +
                     ". This may cause unexpected results. Use an explicit cast to suppress this warning.");
}

// $name = rhs (or `let $name = rhs`) for an integer rhs: the variable's type, the join of all
// integers stored into it in the probe, or the declared type of `let $name: T`.
Type Checker::store_var_int(const std::string &name, const Expr &rhs, SourceRange r) {
  auto typed = typed_vars_.find(name);
  Type t = typed != typed_vars_.end()
               ? typed->second
               : with_shape(rhs.type, join_into(ints_.vars, ints_before_ ? &ints_before_->vars : nullptr,
                                                {cur_->probe, name}, stored_shape(rhs), &ints_changed_));
  convert_int(rhs, shape_of(t), name, "variable", r);
  set_var_type(name, t);
  return t;
}

// $name op= rhs and $name++ / $name--: the 64-bit result joins the variable's type (a declared
// type stays). `is_signed`: whether the result is signed. `op_range`: for op=, where the result
// (bpftrace's `$name op rhs`) is stored, warned about when the conversion may change it; ++ and
// -- step in the variable's own type.
Type Checker::update_var_int(const std::string &name, bool is_signed, const SourceRange *op_range) {
  Type t = vars_.at(name);
  IntShape result{8, is_signed, false};
  if (!typed_vars_.count(name)) {
    t = with_shape(t, join_into(ints_.vars, ints_before_ ? &ints_before_->vars : nullptr, {cur_->probe, name}, result,
                                &ints_changed_));
    set_var_type(name, t);
  }
  if (op_range) warn_int_conversion(result, shape_of(t), *op_range);
  return t;
}

void Checker::set_var_type(const std::string &name, const Type &t) {
  vars_[name] = t;
  info_->var_types[cur_->probe][name] = t;
}

// @map[...] = rhs for an integer rhs: the join of all integers stored into the map; the map keeps
// 64-bit values of the join's sign.
IntShape Checker::store_map_int(const std::string &map, const Expr &rhs, SourceRange r) {
  IntShape j = join_into(ints_.map_values, ints_before_ ? &ints_before_->map_values : nullptr, map, stored_shape(rhs),
                         &ints_changed_);
  convert_int(rhs, j, map, "map", r);
  return j;
}

// @map op= rhs and @map++ / @map--: the 64-bit result joins the map's values like a store.
// `op_range`: for op=, where the result is stored (see update_var_int).
IntShape Checker::update_map_int(const std::string &map, bool is_signed, const SourceRange *op_range) {
  IntShape result{8, is_signed, false};
  IntShape j =
      join_into(ints_.map_values, ints_before_ ? &ints_before_->map_values : nullptr, map, result, &ints_changed_);
  if (op_range) warn_int_conversion(result, j, *op_range);
  return j;
}

// The integer keys of an access to `m` (keys: their types, one per argument) take the sign of the
// join of all integers used as that key of the map.
void Checker::join_map_keys(const Expr &m, std::vector<Type> &keys) {
  if (keys.size() != m.args.size()) return;  // @m[(a, b)] spelled as one tuple
  auto held = maps_.find(m.name);
  for (size_t i = 0; i < keys.size(); i++) {
    const Expr &k = *m.args[i];
    if (k.type.kind != TypeKind::Int || keys[i].kind != TypeKind::Int) continue;
    if (held != maps_.end() && (held->second.keys.size() != keys.size() || held->second.keys[i].kind != TypeKind::Int))
      continue;  // a mismatch check_keys reports
    IntShape j = join_into(ints_.map_keys, ints_before_ ? &ints_before_->map_keys : nullptr, {m.name, i},
                           stored_shape(k), &ints_changed_);
    convert_int(k, j, m.name, "map", k.range);
    keys[i].is_signed = j.is_signed;
  }
}

// The key types of an access to `m` as bpftrace names them in messages: an integer by what it
// stores (the literal 1 is "int8"). `keys`: as key_types() gave them; has_key(@m, (a, b)) keys
// are the elements of the tuple.
std::vector<Type> Checker::shown_keys(const Expr &m, std::vector<Type> keys) const {
  const std::vector<ast::ExprPtr> *exprs = &m.args;
  if (m.args.size() == 1 && m.args[0]->kind == ExprKind::Tuple && keys.size() > 1) exprs = &m.args[0]->args;
  if (exprs->size() != keys.size()) return keys;
  for (size_t i = 0; i < keys.size(); i++) {
    if (keys[i].kind != TypeKind::Int || (*exprs)[i]->type.kind != TypeKind::Int) continue;
    IntShape s = stored_shape(*(*exprs)[i]);
    keys[i] = Type::integer(s.size, s.is_signed);
  }
  return keys;
}

// The key types of map `map` as bpftrace names them in messages: integers by their join.
std::vector<Type> Checker::shown_map_keys(const std::string &map, std::vector<Type> keys) const {
  for (size_t i = 0; i < keys.size(); i++) {
    auto j = map_key_join(map, i);
    if (keys[i].kind == TypeKind::Int && j) keys[i] = Type::integer(j->size, j->is_signed);
  }
  return keys;
}

// The join of key field i of `map` (the previous pass's when there is one).
std::optional<IntShape> Checker::map_key_join(const std::string &map, size_t i) const {
  for (const IntJoins *joins : {ints_before_ ? &*ints_before_ : nullptr, &ints_}) {
    if (!joins) continue;
    auto j = joins->map_keys.find({map, i});
    if (j != joins->map_keys.end()) return j->second;
  }
  return std::nullopt;
}

// Ends a pass: whether the joins are settled, i.e. none grew while the pass ran (every read saw
// the final types) or they are those of the previous pass.
bool Checker::next_int_round() {
  bool settled = !ints_changed_ || (ints_before_ && *ints_before_ == ints_);
  ints_before_ = std::move(ints_);
  ints_ = {};
  return settled;
}

}  // namespace btc::checker_internal
