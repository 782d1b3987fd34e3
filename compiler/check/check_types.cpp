// Checking composite values and field access: records, structs, tuples, kernel/script types.
#include "check/checker_impl.h"

namespace btc::checker_internal {

// A struct or array value that is stored (in a variable, map, tuple or event) gets its members
// listed in its type, recursively, so that the runtime can print it. Other types are left as
// they are. False (after an error) for records btc cannot describe.
bool Checker::expand_value(Type &t, SourceRange r) {
  if (t.kind == TypeKind::Array) return t.inner.empty() || expand_value(t.inner[0], r);
  if (t.kind != TypeKind::Record || !t.offsets.empty()) return true;
  std::vector<std::pair<std::string, Type>> members;
  std::vector<uint32_t> offsets;
  if (t.btf_id <= 0) {
    const ScriptRecord *rec = info_->script_types.record(t.name);
    if (!rec) {
      error(DiagKind::Type, r, "cannot store a value of the incomplete type " + t.name);
      return false;
    }
    for (const auto &name : info_->script_types.field_names(t.name)) {
      auto f = info_->script_types.find_field(t.name, name);
      if (!f || (f->bit_size && !bitfield_member(f->type))) return refuse_record_value(t, name, r);
      members.emplace_back(name, f->type);
      members.back().second.bitfield = f->bit_size << 8 | f->bit_offset;
      offsets.push_back(f->offset);
    }
  } else {
    if (!btf_) return refuse_record_value(t, "", r);
    for (const auto &name : btf_->field_names(t)) {
      auto f = btf_->find_field(t, name);
      if (!f) return refuse_record_value(t, name, r);
      members.emplace_back(name, f->type);
      if (!f->bitfield_bits) {
        if (f->offset_bits % 8) return refuse_record_value(t, name, r);
        offsets.push_back(f->offset_bits / 8);
        continue;
      }
      // A bitfield: read as its type's naturally aligned unit, which must hold all its bits.
      uint32_t unit_bits = f->type.size * 8;
      uint32_t start = unit_bits ? f->offset_bits / unit_bits * f->type.size : 0;
      uint32_t shift = f->offset_bits - start * 8;
      if (!bitfield_member(f->type) || shift + f->bitfield_bits > unit_bits) return refuse_record_value(t, name, r);
      members.back().second.bitfield = f->bitfield_bits << 8 | shift;
      offsets.push_back(start);
    }
  }
  for (size_t i = 0; i < members.size(); i++) {
    Type &m = members[i].second;
    if (m.kind == TypeKind::Pointer) m.inner.clear();  // printed as an address
    bool floating = m.kind == TypeKind::None && m.size > 0;  // float / double: printed as null
    bool printable = m.is_int() || m.is_string() || m.kind == TypeKind::Pointer || m.is_composite() || floating;
    if (!printable || !expand_value(m, r)) return printable ? false : refuse_record_value(t, members[i].first, r);
    t.inner.push_back(m);
    t.fields.push_back(members[i].first);
  }
  t.offsets = std::move(offsets);
  return true;
}

// A bitfield member btc can print: a plain integer (not an enum or bool) of at most 8 bytes.
bool Checker::bitfield_member(const Type &t) {
  return t.kind == TypeKind::Int && !is_enum(t) && t.size >= 1 && t.size <= 8;
}

bool Checker::refuse_record_value(const Type &t, const std::string &member, SourceRange r) {
  error(DiagKind::Type, r,
        "storing a " + to_string(t) + " value is not supported" +
            (member.empty() ? "" : " (its member '" + member + "' cannot be stored)"));
  return false;
}

// The type an expression has as a tuple element: integers keep their size (a literal gets the
// smallest signed type that holds it, as in bpftrace), pointers become uint64. nullopt when
// such a value cannot be a tuple element.
std::optional<Type> Checker::tuple_elem_type(const Expr &a) {
  // (whole structs and arrays are returned as they are: the caller expands them with expand_value)
  const Type &t = a.type;
  if (is_enum(t)) return widened_int(t);  // enum values are 64-bit, as in bpftrace
  if (a.kind == ExprKind::Int && !a.is_unsigned_literal) return Type::integer(literal_size(a.uval), true);
  if (a.kind == ExprKind::Unary && a.op == "-" && a.args[0]->kind == ExprKind::Int && !a.args[0]->is_unsigned_literal &&
      a.args[0]->uval > 0)
    return Type::integer(literal_size(a.args[0]->uval - 1), true);  // -128 still fits int8
  if (t.kind == TypeKind::Pointer && is_uprobe_args_member(a)) {
    Type p = t;  // a parameter of a uprobe's `args` value: printed as an address, as in bpftrace
    p.inner.clear();
    return p;
  }
  if (t.kind == TypeKind::Pointer) return t;  // printed in hex, as bpftrace does
  switch (t.kind) {
    case TypeKind::Int:
    case TypeKind::Bool:
    case TypeKind::String:
    case TypeKind::Tuple:
    case TypeKind::Kstack:
    case TypeKind::Ustack:
    case TypeKind::Ksym:
    case TypeKind::Usym:
    case TypeKind::Timestamp:
    case TypeKind::Strerror:
    case TypeKind::Record:
    case TypeKind::Array:
      return t;
    default:
      return std::nullopt;
  }
}

// A record from kernel BTF, remembered so the emitter defines it (CO-RE) in the BPF C.
std::optional<Type> Checker::kernel_record(const std::string &name, SourceRange r) {
  if (!btf_) {
    error(DiagKind::Semantic, r, name + " needs kernel BTF (see --btf)");
    return std::nullopt;
  }
  auto t = btf_->find_record(name);
  if (!t) {
    error(DiagKind::Name, r, "unknown type '" + name + "'");
    return std::nullopt;
  }
  note_record(*t);
  return t;
}

void Checker::note_record(const Type &t) {
  if ((t.kind == TypeKind::Pointer || t.kind == TypeKind::Array) && !t.inner.empty()) return note_record(t.inner[0]);
  if (t.kind == TypeKind::Record && t.btf_id > 0 && !t.name.empty() &&
      std::find(info_->kernel_records.begin(), info_->kernel_records.end(), t.name) == info_->kernel_records.end())
    info_->kernel_records.push_back(t.name);
}

// A type as the parser spells it (types/type_spelling.h): the base is looked up among
// bpftrace's own names, the script's types, the probed binary's DWARF and kernel BTF; the
// pointer and array suffixes are then applied left to right.
std::optional<Type> Checker::parse_type(const std::string &spelling, SourceRange r) {
  auto sp = split_type_spelling(spelling);
  std::optional<Type> base;
  if (sp && is_sized_type_name(sp->base))
    base = sized_base_type(sp->base, &sp->suffixes);
  else if (sp)
    base = base_type(sp->base);
  if (!base || (base->kind == TypeKind::Void && !sp->suffixes.empty() && !sp->suffixes.front().is_pointer)) {
    error(DiagKind::Name, r, "unknown type '" + spelling + "'");
    return std::nullopt;
  }
  return apply_type_suffixes(*base, sp->suffixes);
}

// A type name without suffixes ("int32", "struct task_struct", "pid_t"), or nullopt.
std::optional<Type> Checker::base_type(const std::string &name) {
  static const std::pair<const char *, Type> kBuiltinTypes[] = {
      {"int8", Type::integer(1, true)},    {"int16", Type::integer(2, true)},   {"int32", Type::integer(4, true)},
      {"int64", Type::integer(8, true)},   {"uint8", Type::integer(1, false)},  {"uint16", Type::integer(2, false)},
      {"uint32", Type::integer(4, false)}, {"uint64", Type::integer(8, false)}, {"bool", Type::boolean()},
  };
  for (const auto &[n, t] : kBuiltinTypes)
    if (name == n) return t;
  if (auto t = info_->script_types.parse_type(name)) return t;
  if (auto t = dwarf_type(name)) return t;
  if (btf_) return btf_->parse_type(name);
  return std::nullopt;
}

// config.KEY and config().KEY: the setting as a literal (check/config_keys.cpp).
bool Checker::is_config_record(const Expr &e) {
  return (e.kind == ExprKind::Builtin && (e.name == "config" || e.name == "__builtin_config")) ||
         (e.kind == ExprKind::Call && e.name == "config" && e.args.empty());
}

void Checker::fold_config_field(Expr &e) {
  auto v = config_value(info_->config, e.name);
  if (!v) {
    std::string hint = closest_match(e.name, config_record_keys());
    error(DiagKind::Name, e.range,
          "config has no field '" + e.name + "'" + (hint.empty() ? "" : ", did you mean " + hint + "?"));
    return;
  }
  e.args.clear();
  if (v->kind == ConfigValue::String) {
    e.kind = ExprKind::String;
    e.sval = v->text;
  } else {
    e.kind = v->kind == ConfigValue::Bool ? ExprKind::Bool : ExprKind::Int;
    e.ival = static_cast<int64_t>(v->number);
    e.uval = v->number;
    e.text = std::to_string(v->number);
  }
  check_expr(e);
}

void Checker::check_field(Expr &e) {
  if (is_config_record(*e.args[0])) return fold_config_field(e);
  Expr &base = *e.args[0];
  check_expr(base);
  if (base.type.is_none()) return;
  if (base.type.kind == TypeKind::Tuple) return check_named_field(e, base);
  if (base.type.kind != TypeKind::Context) return check_record_field(e, base);
  if (cur_->proto) return check_function_arg(e);
  const auto &fields = cur_->tracepoint->fields;
  for (const auto &f : fields) {
    if (f.name == e.name) {
      e.type = f.type;
      if (f.is_data_loc) e.type = Type::string(str_size_);
      return;
    }
  }
  std::vector<std::string> names;
  for (const auto &f : fields) names.push_back(f.name);
  std::string hint = closest_match(e.name, names);
  error(DiagKind::Name, e.range,
        "tracepoint " + cur_->target + ":" + cur_->func + " has no field '" + e.name + "'" +
            (hint.empty() ? "" : ", did you mean args." + hint + "?"));
}

// r.name on a record (named tuple): the field's position goes in e.ival.
void Checker::check_named_field(Expr &e, Expr &base) {
  const auto &names = base.type.fields;
  auto it = std::find(names.begin(), names.end(), e.name);
  if (e.is_arrow || it == names.end()) {
    std::string hint = closest_match(e.name, names);
    error(DiagKind::Name, e.range,
          to_string(base.type) + " has no field '" + e.name + "'" +
              (hint.empty() ? "" : ", did you mean ." + hint + "?"));
    return;
  }
  if (!tuple_operand(base)) {
    error(DiagKind::Semantic, e.range, "record fields can only be taken from $variables, maps and record literals");
    return;
  }
  e.ival = it - names.begin();
  e.type = base.type.inner[e.ival];
  e.kind = ExprKind::TupleIndex;  // from here on, r.name is r.N
}

// args.name in fentry/fexit: the function's parameter, typed from its BTF prototype; in uprobes
// from the binary's DWARF, where only parameters in the six integer argument registers are read.
void Checker::check_function_arg(Expr &e) {
  const auto &params = cur_->proto->params;
  for (size_t i = 0; i < params.size(); i++) {
    if (params[i].name != e.name) continue;
    const Type &t = params[i].type;
    if (cur_->kind == ProbeKind::Uprobe && t.kind == TypeKind::Record) {
      error(DiagKind::Type, e.range,
            "argument " + e.name + " of " + cur_->func + " is a " + t.name +
                " passed by value, which btc cannot read from the argument registers");
      return;
    }
    if (cur_->kind == ProbeKind::Uprobe && t.is_none()) {
      error(DiagKind::Type, e.range,
            "argument " + e.name + " of " + cur_->func + " has type " + t.name + ", which is not supported yet");
      return;
    }
    for (size_t j = 0; cur_->kind == ProbeKind::Uprobe && j < i; j++) {
      const Type &before = params[j].type;
      if (before.is_int() || before.kind == TypeKind::Pointer) continue;
      error(DiagKind::Type, e.range,
            "argument " + e.name + " of " + cur_->func + " follows " +
                (params[j].name.empty() ? "a parameter" : params[j].name) +
                ", which is not passed in one integer register, so its register is unknown");
      return;
    }
    if (!(t.is_int() || t.kind == TypeKind::Pointer)) {
      error(DiagKind::Type, e.range,
            "argument " + e.name + " of " + cur_->func + " has type " + to_string(t) + ", which is not supported yet");
      return;
    }
    e.type = t.kind == TypeKind::Pointer ? t : Type::integer(8, t.is_signed);
    if (t.kind == TypeKind::Pointer) {
      // BTF does not say reliably whether a pointer argument is __user: leave it open, so str()
      // uses the helper that reads either (x86). A uprobe's pointers are the process's.
      e.type.addr_space = cur_->kind == ProbeKind::Uprobe ? AddrSpace::User : AddrSpace::None;
      note_record(t);
    }
    return;
  }
  std::vector<std::string> names;
  for (const auto &p : params) names.push_back(p.name);
  std::string hint = closest_match(e.name, names);
  error(DiagKind::Name, e.range,
        cur_->func + " has no argument '" + e.name + "'" + (hint.empty() ? "" : ", did you mean args." + hint + "?"));
}

// p->f, p.f (pointer to record) and r.f (record reached through an earlier field).
void Checker::check_record_field(Expr &e, Expr &base) {
  const Type *rec = nullptr;
  AddrSpace as = base.type.addr_space;
  if (base.type.kind == TypeKind::Pointer && !base.type.inner.empty() && base.type.inner[0].kind == TypeKind::Record)
    rec = &base.type.inner[0];
  else if (base.type.kind == TypeKind::Record && !e.is_arrow)
    rec = &base.type;
  if (!rec) {
    error(DiagKind::Type, e.range,
          "cannot access field '" + e.name + "' of " + to_string(base.type) +
              (base.type.kind == TypeKind::Record ? " with '->' (use '.')" : ""));
    return;
  }
  if (rec->btf_id <= 0) return check_script_field(e, *rec, as);
  if (!btf_) {
    error(DiagKind::Semantic, e.range, "field access needs the kernel's BTF for " + rec->name);
    return;
  }
  note_record(*rec);
  auto f = btf_->find_field(*rec, e.name);
  if (!f) {
    std::string hint = closest_match(e.name, btf_->field_names(*rec));
    error(DiagKind::Name, e.range,
          rec->name + " has no field '" + e.name + "'" + (hint.empty() ? "" : ", did you mean " + hint + "?"));
    return;
  }
  if (f->bitfield_bits) {
    error(DiagKind::Semantic, e.range, "bitfield " + rec->name + "." + e.name + " is not supported yet");
    return;
  }
  e.type = f->type;
  if (e.type.kind == TypeKind::Pointer || e.type.kind == TypeKind::Record) e.type.addr_space = as;
  note_record(e.type);
}

// A member of a record the script defines: a plain read at a constant offset.
void Checker::check_script_field(Expr &e, const Type &rec, AddrSpace as) {
  if (!info_->script_types.record(rec.name)) {
    error(DiagKind::Type, e.range, "cannot access field '" + e.name + "' of the incomplete type " + rec.name);
    return;
  }
  auto f = info_->script_types.find_field(rec.name, e.name);
  if (!f) {
    std::string hint = closest_match(e.name, info_->script_types.field_names(rec.name));
    error(DiagKind::Name, e.range,
          rec.name + " has no field '" + e.name + "'" + (hint.empty() ? "" : ", did you mean " + hint + "?"));
    return;
  }
  if (f->type.kind == TypeKind::None) {  // float / double (ScriptTypes): printed as null, never read
    error(DiagKind::Type, e.range,
          "cannot read " + rec.name + "::" + e.name + ": btc has no " + f->type.name + " values (only a whole " +
              rec.name + " can be printed, the member as null)");
    return;
  }
  e.type = f->type;
  if (f->bit_size) e.type = Type::integer(f->type.size, f->type.is_signed);
  if (!e.type.is_int()) e.type.addr_space = as;
  note_record(e.type);
}

}  // namespace btc::checker_internal
