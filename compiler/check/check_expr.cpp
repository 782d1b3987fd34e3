// Checking expressions: the dispatcher and the operators.
#include <limits>

#include "check/checker_impl.h"
#include "check/literal_sizes.h"

namespace btc::checker_internal {

void Checker::check_expr(Expr &e, bool statement) {
  e.type = Type::none();
  switch (e.kind) {
    case ExprKind::Int:
      e.type = Type::integer(8, !e.is_unsigned_literal);
      if (!e.name.empty())  // an enumerator resolved by an earlier pass: it keeps its enum
        if (auto en = info_->script_types.enumerator(e.name)) e.type.name = en->enum_name;
      break;
    case ExprKind::String:
      e.type = Type::string(static_cast<uint32_t>(e.sval.size() + 1));
      break;
    case ExprKind::Bool:
      e.type = Type::boolean();
      break;
    case ExprKind::Var: {
      auto it = vars_.find(e.name);
      if (it == vars_.end()) {
        std::vector<std::string> names;
        for (auto &[n, t] : vars_) names.push_back(n);
        std::string hint = closest_match(e.name, names);
        error(DiagKind::Name, e.range,
              "undefined variable " + e.name + (hint.empty() ? "" : ", did you mean " + hint + "?"));
      } else {
        e.type = it->second;
      }
      break;
    }
    case ExprKind::Map:
      check_map_read(e);
      break;
    case ExprKind::Builtin:
      check_builtin(e);
      break;
    case ExprKind::Positional:
      check_positional(e, true);
      break;
    case ExprKind::ParamCount:
      e.type = Type::integer(8, true);
      break;
    case ExprKind::Call:
      check_call(e, statement);
      break;
    case ExprKind::Unary:
      check_unary(e);
      break;
    case ExprKind::IncDec:
      check_incdec(e);
      break;
    case ExprKind::Binary:
      check_binary(e);
      break;
    case ExprKind::Ternary: {
      if (prune_comptime_ternary(e, statement)) break;
      check_expr(*e.args[0]);
      check_expr(*e.args[1], statement);
      check_expr(*e.args[2], statement);
      const Type &c = e.args[0]->type, &a = e.args[1]->type, &b = e.args[2]->type;
      if (c.is_none() || a.is_none() || b.is_none()) break;
      if (!truthy(c)) {
        error(DiagKind::Type, e.args[0]->range, "condition must be an integer or bool, not " + to_string(c));
        break;
      }
      if (statement && (a.kind == TypeKind::Void || b.kind == TypeKind::Void)) {
        e.type = Type::void_();  // `if c { f(); }` used as a statement, or a value thrown away
      } else if (a.kind == TypeKind::Bool && b.kind == TypeKind::Bool) {
        e.type = Type::boolean();
      } else if (a.is_int() && b.is_int()) {
        e.type = Type::integer(8, a.is_signed || b.is_signed);
      } else if (a.kind == TypeKind::Tuple && same_shape(a, b) && tuple_operand(*e.args[1]) &&
                 tuple_operand(*e.args[2])) {
        e.type = a;
        widen_type(e.type, b);
      } else if (a.is_string() && b.is_string()) {
        e.type = Type::string(std::max(a.size, b.size));
      } else if (a.kind == TypeKind::Buffer && b.kind == TypeKind::Buffer) {
        e.type = a;
        e.type.size = std::max(a.size, b.size);
      } else {
        error(DiagKind::Type, e.range,
              "ternary branches have different types: " + to_string(a) + " and " + to_string(b));
      }
      break;
    }
    case ExprKind::Field:
      check_field(e);
      break;
    case ExprKind::Cast: {
      check_expr(*e.args[0]);
      auto t = e.args.size() == 2 ? typeof_type(*e.args[1]) : parse_type(e.cast_type, e.range);  // (typeof(x))
      if (!t || e.args[0]->type.is_none()) break;
      if (is_pton(*e.args[0]) && t->is_int() && t->size == e.args[0]->type.size) {
        e.type = *t;  // (uint32)pton("1.2.3.4"): the address bytes in memory order
        break;
      }
      bool from_scalar = e.args[0]->type.is_int() || e.args[0]->type.kind == TypeKind::Pointer;
      if (check_sized_cast(e, *t)) break;
      if (check_array_cast(e, *t)) break;
      if ((t->is_int() || t->kind == TypeKind::Pointer) && from_scalar) {
        e.type = *t;
        if (t->kind == TypeKind::Pointer) {
          note_record(*t);
          // A cast keeps the operand's address space (a uprobe argument stays a user pointer).
          e.type.addr_space = e.args[0]->type.addr_space != AddrSpace::None ? e.args[0]->type.addr_space
                              : (cur_->kind == ProbeKind::Uprobe || cur_->kind == ProbeKind::Uretprobe)
                                  ? AddrSpace::User
                                  : AddrSpace::Kernel;
        }
      } else {
        error(DiagKind::Type, e.range,
              "cannot cast " + to_string(e.args[0]->type) + " to " + to_string(*t) + " (not supported yet)");
      }
      break;
    }
    case ExprKind::Sizeof: {
      if (!e.args.empty() && e.args[0]->kind == ExprKind::Call && e.args[0]->name == "typeof" &&
          e.args[0]->args.size() == 1) {  // sizeof(typeof(x)) is sizeof(x)
        ast::ExprPtr inner = std::move(e.args[0]->args[0]);
        e.args[0] = std::move(inner);
      }
      if (!e.args.empty()) {
        check_expr(*e.args[0]);
        if (!e.args[0]->type.is_none()) e.ival = bpftrace_sizeof(e.args[0]->type);
        if (e.args[0]->type.is_int()) {  // bpftrace 0.26's smaller literal types (check/literal_sizes.h)
          const Expr &a = *e.args[0];
          uint32_t w = a.kind == ExprKind::Var ? (cur_ && cur_->probe ? literal_var_width(*cur_->probe, a.name) : 0)
                                               : literal_width(a);
          if (w) e.ival = w;
        }
      } else if (is_identifier(e.cast_type) && constant_named(e.cast_type)) {
        e.ival = 8;  // sizeof(TCP_ESTABLISHED): an enumerator or #define is an int64 value
      } else {
        auto t = parse_type(e.cast_type, e.range);
        if (t) e.ival = bpftrace_sizeof(*t);
      }
      e.type = Type::integer(8, false);
      break;
    }
    case ExprKind::Tuple: {
      std::vector<Type> elems;
      for (auto &a : e.args) {
        check_expr(*a);
        uprobe_args_as_value(*a);
        if (a->type.is_none()) return;
        auto el = tuple_elem_type(*a);
        if (el && !expand_value(*el, a->range)) return;
        if (!el) {
          error(DiagKind::Type, a->range, "a tuple element of type " + to_string(a->type) + " is not supported yet");
          return;
        }
        elems.push_back(*el);
      }
      if (elems.size() < 2) {
        error(DiagKind::Semantic, e.range, "a tuple needs at least two elements");
        return;
      }
      e.type = make_tuple(std::move(elems));
      break;
    }
    case ExprKind::Record: {
      Type t;
      t.kind = TypeKind::Tuple;
      for (size_t i = 0; i < e.args.size(); i++) {
        Expr &a = *e.args[i];
        check_expr(a);
        uprobe_args_as_value(a);
        if (a.type.is_none()) return;
        if (std::find(t.fields.begin(), t.fields.end(), e.fields[i]) != t.fields.end()) {
          error(DiagKind::Semantic, a.range, "duplicate field '" + e.fields[i] + "' in record");
          return;
        }
        auto el = tuple_elem_type(a);
        if (el && !expand_value(*el, a.range)) return;
        if (!el) {
          error(DiagKind::Type, a.range, "a record field of type " + to_string(a.type) + " is not supported yet");
          return;
        }
        t.inner.push_back(*el);
        t.fields.push_back(e.fields[i]);
      }
      if (t.inner.empty()) {
        error(DiagKind::Semantic, e.range, "a record needs at least one field");
        return;
      }
      auto names = t.fields;
      e.type = make_tuple(std::move(t.inner));  // laid out like a tuple
      e.type.fields = std::move(names);
      break;
    }
    case ExprKind::TupleIndex: {
      Expr &b = *e.args[0];
      check_expr(b);
      if (b.type.is_none()) return;
      if (b.type.kind != TypeKind::Tuple) {
        error(DiagKind::Type, e.range, "." + std::to_string(e.ival) + " needs a tuple, not " + to_string(b.type));
        return;
      }
      if (e.ival < 0 || static_cast<size_t>(e.ival) >= b.type.inner.size()) {
        error(DiagKind::Semantic, e.range,
              "tuple index " + std::to_string(e.ival) + " is out of range for " + to_string(b.type));
        return;
      }
      if (!tuple_operand(b)) {
        error(DiagKind::Semantic, e.range, "tuple elements can only be taken from $variables, maps and tuple literals");
        return;
      }
      e.type = b.type.inner[e.ival];
      break;
    }
    case ExprKind::Index:
      check_index(e);
      break;
    case ExprKind::Block:
      // { stmts; value }: the statements run first, then the value is the block's value.
      check_block(e.body);
      if (e.args.empty()) {
        if (!statement)
          error(DiagKind::Semantic, e.range, "this block has no value (its last statement ends with ';')");
        e.type = Type::void_();
        break;
      }
      check_expr(*e.args[0], statement);
      e.type = e.args[0]->type;
      break;
  }
}

// a[i] on an array member (reached through a pointer) and p[i] on a pointer.
// $t[N]: the same as $t.N; N must fold to a constant ($t[1 + 1] is fine, $t[$i] is not).
void Checker::tuple_subscript(Expr &e) {
  Expr &b = *e.args[0];
  auto n = fold_int(*e.args[1]);
  if (!n) {
    error(DiagKind::Semantic, e.args[1]->range, "a tuple index must be a constant integer expression");
    return;
  }
  if (*n < 0 || static_cast<size_t>(*n) >= b.type.inner.size()) {
    error(DiagKind::Semantic, e.range,
          "tuple index " + std::to_string(*n) + " is out of range for " + to_string(b.type));
    return;
  }
  if (!tuple_operand(b)) {
    error(DiagKind::Semantic, e.range, "tuple elements can only be taken from $variables, maps and tuple literals");
    return;
  }
  e.kind = ExprKind::TupleIndex;
  e.ival = *n;
  e.args.resize(1);
  e.type = b.type.inner[e.ival];
}

// The value of an integer expression made of literals and arithmetic, if it is one.
std::optional<int64_t> Checker::fold_int(const Expr &e) {
  if (e.kind == ExprKind::Int) return e.ival;
  if (e.kind == ExprKind::Unary && (e.op == "-" || e.op == "~")) {
    auto a = fold_int(*e.args[0]);
    if (!a) return std::nullopt;
    return e.op == "-" ? -*a : ~*a;
  }
  if (e.kind != ExprKind::Binary) return std::nullopt;
  auto a = fold_int(*e.args[0]), b = fold_int(*e.args[1]);
  if (!a || !b) return std::nullopt;
  const std::string &op = e.op;
  if (op == "+") return *a + *b;
  if (op == "-") return *a - *b;
  if (op == "*") return *a * *b;
  if ((op == "/" || op == "%") && *b != 0) return op == "/" ? *a / *b : *a % *b;
  if (op == "&") return *a & *b;
  if (op == "|") return *a | *b;
  if (op == "^") return *a ^ *b;
  if ((op == "<<" || op == ">>") && *b >= 0 && *b < 64) return op == "<<" ? *a << *b : *a >> *b;
  return std::nullopt;
}

void Checker::check_index(Expr &e) {
  Expr &b = *e.args[0], &i = *e.args[1];
  check_expr(b);
  check_expr(i);
  if (b.type.is_none() || i.type.is_none()) return;
  if (!i.type.is_int()) {
    error(DiagKind::Type, i.range, "a subscript must be an integer, not " + to_string(i.type));
    return;
  }
  const Type &bt = b.type;
  if (bt.kind == TypeKind::Array && !bt.inner.empty()) {
    if (i.kind == ExprKind::Int && bt.count > 0 && (i.ival < 0 || static_cast<uint64_t>(i.ival) >= bt.count)) {
      error(DiagKind::Semantic, e.range,
            "the index " + std::to_string(i.ival) + " is out of bounds for array of size " + std::to_string(bt.count));
      return;
    }
    if (i.kind != ExprKind::Int && bt.count > 0) note_array_bounds(e);
  } else if (bt.is_string()) {  // $s[i]: one character (int8); a run-time index is not checked
    if (i.kind == ExprKind::Int && (i.ival < 0 || static_cast<uint64_t>(i.ival) >= bt.size)) {
      error(DiagKind::Semantic, e.range,
            "the index " + std::to_string(i.ival) + " is out of bounds for array of size " + std::to_string(bt.size));
      return;
    }
    e.type = Type::integer(1, true);
    return;
  } else if (bt.kind == TypeKind::Pointer && !bt.inner.empty()) {
    if (size_of(bt.inner[0]) == 0) {
      error(DiagKind::Type, e.range, "cannot subscript a pointer to " + to_string(bt.inner[0]));
      return;
    }
  } else if (bt.kind == TypeKind::Tuple) {
    return tuple_subscript(e);
  } else {
    error(DiagKind::Type, e.range, "cannot subscript a value of type " + to_string(bt) + " (not supported yet)");
    return;
  }
  e.type = bt.inner[0];
  if (!e.type.is_int()) e.type.addr_space = bt.addr_space;
  note_record(e.type);
}

// Record, array and char-array values are read in place: they must be reached through a pointer.
bool Checker::addressable(const Expr &e) {
  switch (e.kind) {
    case ExprKind::Field:
      return e.args[0]->type.kind == TypeKind::Pointer || addressable(*e.args[0]);
    case ExprKind::Index:
      return e.args[0]->type.kind == TypeKind::Pointer || addressable(*e.args[0]);
    case ExprKind::Unary:
      return e.op == "*";
    default:
      return false;
  }
}

// offsetof(T, a.b): a constant from the script's layout or kernel BTF.
void Checker::check_offsetof(Expr &e) {
  std::optional<Type> t;
  if (!e.cast_type.empty()) {
    t = parse_type(e.cast_type, e.range);
  } else if (!e.args.empty()) {
    check_expr(*e.args[0]);
    t = e.args[0]->type;
  }
  if (!t || t->is_none()) return;
  if (t->kind == TypeKind::Record && t->btf_id > 0) {
    note_record(*t);
    e.cast_type = t->name;  // the emitter asks BTF (CO-RE) for a kernel record's offsets
  }
  Type cur = *t;
  uint64_t offset = 0;
  std::string path = e.sval;
  size_t start = 0;
  while (start <= path.size()) {
    size_t dot = path.find('.', start);
    std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    start = dot == std::string::npos ? path.size() + 1 : dot + 1;
    if (cur.kind != TypeKind::Record) {
      error(DiagKind::Type, e.range, "offsetof() needs a struct or union, not " + to_string(cur));
      return;
    }
    if (cur.btf_id <= 0) {
      auto f = info_->script_types.find_field(cur.name, part);
      if (!f) {
        error(DiagKind::Name, e.range, cur.name + " has no field '" + part + "'");
        return;
      }
      offset += f->offset;
      cur = f->type;
    } else {
      auto f = btf_ ? btf_->find_field(cur, part) : std::nullopt;
      if (!f) {
        error(DiagKind::Name, e.range, cur.name + " has no field '" + part + "'");
        return;
      }
      offset += f->offset_bits / 8;
      cur = f->type;
    }
  }
  e.ival = static_cast<int64_t>(offset);
  e.type = Type::integer(8, false);
}

void Checker::check_unary(Expr &e) {
  if (e.op == "comptime") return check_comptime(e);
  Expr &a = *e.args[0];
  check_expr(a);
  if (a.type.is_none()) return;
  if (e.op == "!" || e.op == "-" || e.op == "~") {
    if (!a.type.is_int() && !(e.op == "!" && truthy(a.type))) {
      error(DiagKind::Type, e.range, "operator " + e.op + " needs an integer, not " + to_string(a.type));
      return;
    }
    // -9223372036854775808 is int64's smallest value; a larger literal has no negative (as bpftrace)
    if (e.op == "-" && a.kind == ExprKind::Int && a.name.empty() &&
        a.uval > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1) {
      error(DiagKind::Type, e.range, "negative value will underflow");
      return;
    }
    e.type = e.op == "!" ? Type::boolean() : Type::integer(8, e.op == "-" ? true : a.type.is_signed);
    return;
  }
  if (e.op == "&") {
    // &$x: the address of the variable's slot on the BPF stack, a pointer into kernel memory.
    if (a.kind != ExprKind::Var) {
      error(DiagKind::Semantic, e.range, "operator & on a map is not supported yet");
      return;
    }
    e.type = Type::pointer_to(a.type);
    e.type.addr_space = AddrSpace::Kernel;
    return;
  }
  if (e.op == "*" && a.type.kind == TypeKind::Pointer && !a.type.inner.empty()) {
    const Type &p = a.type.inner[0];
    if (p.is_int() || p.kind == TypeKind::Pointer || (p.kind == TypeKind::Record && size_of(p) > 0) ||
        p.kind == TypeKind::Array || p.kind == TypeKind::String || p.kind == TypeKind::Tuple ||
        p.kind == TypeKind::Username) {
      e.type = p;
      if (!p.is_int()) e.type.addr_space = a.type.addr_space;
      note_record(e.type);
      return;
    }
  }
  if (e.op == "*" && a.type.kind == TypeKind::Int && a.type.addr_space != AddrSpace::None) {
    e.type = Type::integer(8, false);  // kaddr("sym"): bpftrace types it uint64 in kernel memory
    return;
  }
  error(DiagKind::Semantic, e.range, "operator " + e.op + " is not supported on " + to_string(a.type) + " yet");
}

void Checker::check_incdec(Expr &e) {
  Expr &a = *e.args[0];
  if (a.kind == ExprKind::Var) {
    auto it = vars_.find(a.name);
    if (it == vars_.end()) {
      error(DiagKind::Name, a.range, "undefined variable " + a.name);
      return;
    }
    bool ptr = it->second.kind == TypeKind::Pointer && pointee_size(it->second);
    if (!it->second.is_int() && !ptr) {
      error(DiagKind::Type, e.range, "operator " + e.op + " needs an integer, not " + to_string(it->second));
      return;
    }
    a.type = it->second;
    e.type = ptr ? it->second : Type::integer(8, it->second.is_signed);
    if (it->second.kind == TypeKind::Int) a.type = update_var_int(a.name, it->second.is_signed || e.op == "--");
  } else if (a.kind == ExprKind::Map) {
    auto it = maps_.find(a.name);
    bool ptr = it != maps_.end() && it->second.value.kind == TypeKind::Pointer && pointee_size(it->second.value);
    if (it != maps_.end() && !it->second.value.is_int() && !ptr) {
      error(DiagKind::Type, e.range,
            "operator " + e.op + " needs an integer map, " + a.name + " holds " + to_string(it->second.value));
      return;
    }
    Type vt = ptr ? it->second.value : Type::integer(8, true);
    bool int_map = !ptr && (it == maps_.end() || it->second.value.kind == TypeKind::Int);
    // the stepped value joins the map's values: signed when the map's are or for --
    if (int_map)
      vt.is_signed = update_map_int(a.name, it == maps_.end() || it->second.value.is_signed || e.op == "--").is_signed;
    assign_map(a, vt, e.range);
    if (int_map && maps_.count(a.name)) maps_[a.name].value.is_signed = a.type.is_signed = vt.is_signed;
    e.type = vt;
  } else {
    error(DiagKind::Semantic, e.range, "operator " + e.op + " needs a $variable or a @map");
  }
}

// A cast to string[N], buffer[N] or inet[N]: only a string may be cast, to a string at least
// as big (bpftrace refuses the rest too). True when the cast was one of these.
bool Checker::check_sized_cast(Expr &e, const Type &t) {
  if (t.kind != TypeKind::String && t.kind != TypeKind::Buffer && t.kind != TypeKind::Inet) return false;
  const Expr &a = *e.args[0];
  uint32_t from_size = a.kind == ExprKind::String ? static_cast<uint32_t>(a.sval.size() + 1) : a.type.size;
  if (!t.is_string() || !a.type.is_string() || t.size < from_size) {
    error(DiagKind::Type, e.range, "cannot cast " + to_string(a.type) + " to " + e.cast_type);
    return true;
  }
  if (t.size == from_size)
    diags_.warning(DiagKind::Type, e.range, "unnecessary cast: the value is already a " + e.cast_type);
  e.type = t;
  return true;
}

// Reinterpreting casts between integers and integer arrays of the same byte size, as bpftrace
// allows: (int8[8])n, (int8[])n (size from the operand), (uint8[])"str" (its bytes with the
// NUL), (int32)a where a is a 4-byte array. False when e is none of these (not an error).
bool Checker::check_array_cast(Expr &e, Type t) {
  const Type &from = e.args[0]->type;
  bool int_array = t.kind == TypeKind::Array && !t.inner.empty() && t.inner[0].is_int();  // bool[N] too
  if (int_array && (from.is_int() || from.is_string())) {
    uint32_t from_size = from.is_string() ? from.size : from.size ? from.size : 8;
    if (from.is_string() && e.args[0]->kind == ExprKind::String) from_size = e.args[0]->sval.size() + 1;
    if (t.count == 0) {
      t.count = from_size / t.inner[0].size;
      t.size = t.count * t.inner[0].size;
    }
    if (t.size != from_size) {
      error(DiagKind::Type, e.range, "cannot cast " + to_string(from) + " to " + to_string(t) + ": the sizes differ");
      return true;
    }
    e.type = t;
    return true;
  }
  bool from_int_array = from.kind == TypeKind::Array && !from.inner.empty() && from.inner[0].kind == TypeKind::Int;
  if (t.kind == TypeKind::Int && from_int_array) {
    if (t.size != from.size)
      error(DiagKind::Type, e.range, "cannot cast " + to_string(from) + " to " + to_string(t) + ": the sizes differ");
    else
      e.type = t;
    return true;
  }
  return false;
}

void Checker::check_binary(Expr &e) {
  Expr &l = *e.args[0], &r = *e.args[1];
  check_expr(l);
  check_expr(r);
  if (l.type.is_none() || r.type.is_none()) return;
  const std::string &op = e.op;
  bool cmp = op == "==" || op == "!=" || op == "<" || op == ">" || op == "<=" || op == ">=";
  if (l.type.kind == TypeKind::Tuple || r.type.kind == TypeKind::Tuple) {
    // Tuples compare element by element (bpftrace v0.26), only with == and !=.
    if ((op == "==" || op == "!=") && same_shape(l.type, r.type) && tuple_operand(l) && tuple_operand(r)) {
      e.type = Type::boolean();
      return;
    }
    error(DiagKind::Type, e.range,
          "operator " + op + " cannot be used on " + to_string(l.type) + " and " + to_string(r.type));
    return;
  }
  if (l.type.kind == TypeKind::Array && r.type.kind == TypeKind::Array && (op == "==" || op == "!=") &&
      same_shape(l.type, r.type)) {  // arrays of the same type compare byte by byte
    e.type = Type::boolean();
    return;
  }
  if (l.type.kind == TypeKind::Buffer && r.type.kind == TypeKind::Buffer && (op == "==" || op == "!=")) {
    e.type = Type::boolean();
    return;
  }
  if (l.type.is_string() || r.type.is_string()) {
    if ((op == "==" || op == "!=") && l.type.is_string() && r.type.is_string()) {
      e.type = Type::boolean();
      return;
    }
    error(DiagKind::Type, e.range,
          "operator " + op + " cannot be used on " + to_string(l.type) + " and " + to_string(r.type));
    return;
  }
  auto intlike = [](const Type &t) { return t.is_int() || t.kind == TypeKind::Pointer; };
  if (!intlike(l.type) || !intlike(r.type)) {
    error(DiagKind::Type, e.range,
          "operator " + op + " cannot be used on " + to_string(l.type) + " and " + to_string(r.type));
    return;
  }
  bool lp = l.type.kind == TypeKind::Pointer, rp = r.type.kind == TypeKind::Pointer;
  if (cmp || op == "&&" || op == "||") {
    e.type = Type::boolean();
  } else if ((op == "+" && lp != rp) || (op == "-" && lp && !rp)) {
    // Pointer arithmetic moves in units of the pointee, as in C.
    e.type = lp ? l.type : r.type;
    if (pointee_size(e.type) == 0) {
      error(DiagKind::Type, e.range, "arithmetic on a pointer to " + to_string(e.type.inner[0]) + " is not supported");
      e.type = Type::none();
    }
  } else {
    bool is_signed = (l.type.is_int() && l.type.is_signed) && (r.type.is_int() && r.type.is_signed);
    if (l.type.kind == TypeKind::Bool || r.type.kind == TypeKind::Bool) is_signed = true;
    e.type = Type::integer(8, is_signed);
    if (op == "/" || op == "%") note_division_by_zero(e);
  }
}

// x / y and x % y with a y that may be 0: the result is then 1 and the tool warns, as bpftrace
// does; the warning is a warnf-like printf-table entry without arguments.
void Checker::note_division_by_zero(const Expr &e) {
  const Expr &r = *e.args[1];
  if (r.kind == ExprKind::Int && r.uval != 0) return;
  if (quiet_ || info_->printf_id.count(&e)) return;
  note_runtime_warning(
      e, "Divide or modulo by 0 detected. This can lead to unexpected results. 1 is being used as the result.");
}

// A warning the tool prints when the BPF code at `e` meets a run-time condition: a warnf-like
// printf-table entry without arguments, once per expression.
void Checker::note_runtime_warning(const Expr &e, const char *message) {
  if (info_->printf_id.count(&e)) return;
  PrintfInfo pi;
  pi.fmt = message;
  pi.severity = BTC_SEV_WARNF;
  pi.runtime_check = true;
  pi.range = e.range;
  info_->printf_id[&e] = info_->printfs.size();
  info_->printfs.push_back(std::move(pi));
}

// a[i] with a run-time index into a fixed-size array: an index past the end warns
// (bpftrace 0.26) and the element is read anyway; the warning is a printf-table entry like the
// division's.
void Checker::note_array_bounds(const Expr &e) {
  if (quiet_ || info_->printf_id.count(&e)) return;
  note_runtime_warning(e, "Array access out of bounds. This can lead to unexpected results.");
}

// Tuple values the emitter can take apart: literals, $variables, map values and their elements.
bool Checker::tuple_operand(const Expr &e) {
  return e.kind == ExprKind::Tuple || e.kind == ExprKind::Record || e.kind == ExprKind::Var ||
         e.kind == ExprKind::Map || e.kind == ExprKind::TupleIndex || e.kind == ExprKind::Ternary ||
         e.kind == ExprKind::Block;
}

// $N: an integer, or (as_int false) the text str($N) reads. The tool refuses to start when a
// parameter read as an integer is given text that is not a number (btc_tool.int_params), where
// bpftrace would take it as a string.
void Checker::check_positional(Expr &e, bool as_int) {
  if (e.ival < 1 || e.ival > BTC_MAX_PARAMS) {
    error(DiagKind::Semantic, e.range,
          "positional parameter $" + std::to_string(e.ival) + " is out of range (1.." + std::to_string(BTC_MAX_PARAMS) +
              ")");
    return;
  }
  info_->max_param = std::max<uint32_t>(info_->max_param, static_cast<uint32_t>(e.ival));
  if (as_int) info_->int_params |= 1u << (e.ival - 1);
  e.type = Type::integer(8, true);
}

}  // namespace btc::checker_internal
