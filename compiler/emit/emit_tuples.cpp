// Tuple and record values: building, storing, reading from maps, comparing.
#include "emit/bpf_emitter_impl.h"
#include "types/tuple_layout.h"

namespace btc::bpf_emitter_internal {

BpfEmitter::Val BpfEmitter::val_of(const Expr &e) {
  switch (e.kind) {
    case ExprKind::Var: {
      bool loop_var = loop_vars_.count(e.name) > 0;
      Type t = var_type(e.name);
      // ustack/usym variables keep only the address: store them like fresh values.
      if (!loop_var && (t.kind == TypeKind::Ustack || t.kind == TypeKind::Usym)) break;
      return {nullptr, var_lv(e.name), t};
    }
    case ExprKind::TupleIndex:
      return elems(val_of(*e.args[0]))[e.ival];
    case ExprKind::Unary:  // *p of a tuple pointer: the tuple's bytes where p points
      if (e.type.kind == TypeKind::Tuple) {
        std::string t = tuple_temp(e.type);
        Place p = place_of(e);
        line(read_helper(p.space) + "&" + t + ", sizeof(" + t + "), (const void *)(long)(" + p.addr + "));");
        return {nullptr, t, e.type};
      }
      break;
    case ExprKind::Block:  // { stmts; value }
      return block_value(e);
    case ExprKind::Map:
      if (e.type.kind == TypeKind::Tuple) return {nullptr, map_tuple_read(e), info_.map(e.name).value};
      break;
    case ExprKind::Ternary:
      if (e.type.kind == TypeKind::Tuple) {
        std::string t = tuple_temp(e.type);
        std::string c = int_expr(*e.args[0]);
        open_scope("if (" + c + ")");
        store(t, e.type, val_of(*e.args[1]));
        indent_--;
        line("} else {");
        indent_++;
        store(t, e.type, val_of(*e.args[2]));
        close_scope();
        return {nullptr, t, e.type};
      }
      break;
    default:
      break;
  }
  return {&e, "", e.type};
}

// A block expression's statements, then its value. A variable as the value is copied now:
// another expansion of the same macro, later in the enclosing expression, reuses its name.
BpfEmitter::Val BpfEmitter::block_value(const Expr &e) {
  emit_block(e.body);
  Val v = val_of(*e.args[0]);
  if (e.args[0]->kind != ExprKind::Var || v.expr) return v;
  if (v.type.kind == TypeKind::Tuple) {
    std::string t = tuple_temp(v.type);
    store(t, v.type, v);
    return {nullptr, t, v.type};
  }
  std::string t = tmp("blk");
  if (v.type.stored_as_bytes()) {
    line("char " + t + "[" + std::to_string(round8(v.type.size)) + "];");
    copy_value(t, round8(v.type.size), str_of(v), v.type, true);
  } else {
    line(int_ctype(v.type) + " " + t + " = " + v.lv + ";");
  }
  return {nullptr, t, v.type};
}

// The elements of a tuple value.
std::vector<BpfEmitter::Val> BpfEmitter::elems(const Val &v) {
  std::vector<Val> out;
  if (v.expr) {  // a tuple literal (the checker admits no other tuple expressions here)
    for (const auto &a : v.expr->args) out.push_back(val_of(*a));
    return out;
  }
  for (size_t i = 0; i < v.type.inner.size(); i++)
    out.push_back({nullptr, v.lv + ".e" + std::to_string(i), v.type.inner[i]});
  return out;
}

std::string BpfEmitter::int_of(const Val &v) {
  if (v.expr) return int_expr(*v.expr);
  if (v.type.kind == TypeKind::Ustack || v.type.kind == TypeKind::Usym) return v.lv + "[0]";
  return v.lv;
}

// Stores src into the lvalue dst of type dt (strings: dt.size is the storage size).
void BpfEmitter::store(const std::string &dst, const Type &dt, const Val &src) {
  if (dt.kind == TypeKind::Tuple) {
    auto els = elems(src);
    const auto &from = src.type.fields;  // a record value may list the fields in another order
    for (size_t i = 0; i < els.size() && i < dt.inner.size(); i++) {
      size_t j = i;
      if (!dt.fields.empty() && from.size() == dt.fields.size())
        j = std::find(from.begin(), from.end(), dt.fields[i]) - from.begin();
      store(dst + ".e" + std::to_string(i), dt.inner[i], els[j < els.size() ? j : i]);
    }
    return;
  }
  if (dt.stored_as_bytes()) return copy_value(dst, dt.size, str_of(src), dt, true);
  if ((dt.kind == TypeKind::Ustack || dt.kind == TypeKind::Usym) && !src.expr) {
    line("__builtin_memcpy(" + dst + ", " + src.lv + ", 16);");
    return;
  }
  store_slot(dst, dt, int_of(src));
}

// v with a string or integer expression evaluated now (into an lvalue or a C expression).
BpfEmitter::Val BpfEmitter::evaluated(const Val &v) {
  if (!v.expr || v.type.kind == TypeKind::Tuple || v.type.kind == TypeKind::Ustack || v.type.kind == TypeKind::Usym)
    return v;
  if (v.type.stored_as_bytes()) {
    StrVal sv = str_expr(*v.expr);
    Type t = v.type;
    t.size = sv.size;
    return {nullptr, sv.expr, t};
  }
  return {nullptr, "(" + int_expr(*v.expr) + ")", v.type};
}

// A zeroed local of tuple type t (padding included: it may become a map key or value).
std::string BpfEmitter::tuple_temp(const Type &t) { return struct_temp("tup", tuples_.name(t), t.size, true); }

// A tuple value evaluated into a fresh local.
std::string BpfEmitter::tuple_value(const Type &t, const Expr &e) {
  Val v = val_of(e);
  std::string out = tuple_temp(t);
  store(out, t, v);
  return out;
}

std::string BpfEmitter::map_tuple_read(const Expr &e) {
  const MapInfo &m = info_.map(e.name);
  std::string k = build_key(e, nullptr);
  std::string t = tuple_temp(m.value);
  std::string p = tmp("p");
  line(tuples_.name(m.value) + " *" + p + " = bpf_map_lookup_elem(&" + m.c_name + ", &" + k + ");");
  line("if (" + p + ") " + copy_lvalue(t, "(*" + p + ")", m.value.size, tuple_elem_align(m.value)));
  return t;
}

// a == b on tuples of the same shape: every element equal.
std::string BpfEmitter::tuple_eq(const Val &a, const Val &b) {
  auto ea = elems(a), eb = elems(b);
  std::string out = "(1";
  for (size_t i = 0; i < ea.size() && i < eb.size(); i++) {
    const Type &t = ea[i].type;
    if (t.kind == TypeKind::Tuple)
      out += " && " + tuple_eq(ea[i], eb[i]);
    else if (t.is_string())
      out += " && " + str_eq(str_of(ea[i]), str_of(eb[i]));
    else
      out += " && ((" + int_of(ea[i]) + ") == (" + int_of(eb[i]) + "))";
  }
  return out + ")";
}

}  // namespace btc::bpf_emitter_internal
