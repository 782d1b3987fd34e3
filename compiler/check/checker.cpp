// The checker walks every probe body once per attach point. Maps are typed by their first
// assignment anywhere in the script, so a first quiet pass collects map types and a second pass
// reports.
#include "check/checker.h"

#include <arpa/inet.h>

#include <algorithm>
#include <functional>
#include <set>
#include <sstream>

#include "check/attach_points.h"
#include "check/config_keys.h"
#include "check/format_check.h"
#include "elf/dwarf_types.h"
#include "elf/elf_symbols.h"
#include "types/tuple_layout.h"
#include "btc/abi.h"

namespace btc {
namespace {

using ast::Expr;
using ast::ExprKind;
using ast::Stmt;
using ast::StmtKind;

constexpr uint32_t kStrSize = 64;  // default str() size
constexpr size_t kJoinArgs = 16;   // join(): arguments read, as bpftrace
constexpr uint32_t kJoinArgSize = 1024;  // join(): bytes per argument, as bpftrace

const std::set<std::string> kAggregates = {"count", "sum", "min", "max", "avg", "stats", "hist", "lhist"};

TypeKind aggregate_kind(const std::string &fn) {
  if (fn == "count") return TypeKind::Count;
  if (fn == "sum") return TypeKind::Sum;
  if (fn == "min") return TypeKind::Min;
  if (fn == "max") return TypeKind::Max;
  if (fn == "avg") return TypeKind::Avg;
  if (fn == "stats") return TypeKind::Stats;
  if (fn == "hist") return TypeKind::Hist;
  return TypeKind::Lhist;
}

// Values usable as conditions: integers, bools and pointers (non-null is true).
bool truthy(const Type &t) { return t.is_int() || t.kind == TypeKind::Pointer; }

// An integer of an enum type ("enum Foo"): printed as its enumerator's name.
bool is_enum(const Type &t) { return t.kind == TypeKind::Int && t.name.rfind("enum ", 0) == 0; }

// A bare name such as TCP_ESTABLISHED (no "struct", "*" or "[N]").
bool is_identifier(const std::string &s) {
  return !s.empty() && !isdigit(static_cast<unsigned char>(s[0])) &&
         std::all_of(s.begin(), s.end(), [](char c) { return isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

// An integer as a map key/value stores it: 64 bits, keeping its enum.
Type widened_int(const Type &t) {
  Type w = Type::integer(8, t.is_signed);
  if (is_enum(t)) w.name = t.name;
  return w;
}

bool same_shape(const Type &a, const Type &b) {
  if (a.is_int() && b.is_int()) return true;
  if (a.kind != b.kind) return false;
  if (a.kind == TypeKind::Tuple) {
    if (a.inner.size() != b.inner.size() || a.fields.size() != b.fields.size()) return false;
    for (size_t i = 0; i < a.inner.size(); i++) {
      // Records match by field name, in any order: (a=1, b=2) can be assigned (b=2, a=1).
      size_t j = i;
      if (!a.fields.empty()) j = std::find(b.fields.begin(), b.fields.end(), a.fields[i]) - b.fields.begin();
      if (j == b.inner.size() || !same_shape(a.inner[i], b.inner[j])) return false;
    }
  }
  if (a.is_composite()) return a.size == b.size && to_string(a) == to_string(b);
  if (a.kind == TypeKind::Lhist)
    return a.lhist_min == b.lhist_min && a.lhist_max == b.lhist_max && a.lhist_step == b.lhist_step;
  if (a.kind == TypeKind::Hist) return a.hist_bits == b.hist_bits;
  return true;
}

class Checker {
 public:
  Checker(ast::Program &prog, const KernelBtf *btf, Diagnostics &diags, ProgramInfo *info)
      : prog_(prog), btf_(btf), diags_(diags), info_(info) {}

  bool run() {
    apply_config();
    read_script_types();
    for (const auto &probe : prog_.probes) resolve_attach_points(probe, btf_, diags_, &info_->probes);
    check_program_limits();
    if (diags_.has_errors()) return false;
    // Pass 1 (quiet): learn map types from assignments. Pass 2: check and report.
    for (int pass = 0; pass < 2; pass++) {
      quiet_ = pass == 0;
      for (auto &t : info_->probes) check_probe(t);
      if (diags_.has_errors()) return false;
    }
    finish_maps();
    collect_printed_enums();
    // bpftrace: an iterator probe cannot be mixed with any other probe.
    bool has_iter = false;
    for (const auto &t : info_->probes) has_iter |= t.kind == ProbeKind::Iter;
    if (has_iter && info_->probes.size() > 1)
      for (const auto &t : info_->probes)
        if (t.kind == ProbeKind::Iter) error(DiagKind::Probe, t.attach->range, "an iterator probe cannot be mixed with other probes");
    for (size_t i = 0; i < info_->probes.size(); i++) info_->probes[i].prog_name = "probe_" + std::to_string(i);
    return !diags_.has_errors();
  }

 private:
  // The enumerators of every enum whose values are printed (printf arguments, map keys and
  // values, tuples of those), so the runtime can show a value as its enumerator's name.
  void collect_printed_enums() {
    std::function<void(const Type &)> visit = [&](const Type &t) {
      for (const auto &el : t.inner)
        if (t.kind == TypeKind::Tuple) visit(el);
      if (!is_enum(t) || info_->enums.count(t.name)) return;
      auto list = info_->script_types.enumerators_of(t.name);
      if (list.empty() && btf_) list = btf_->enumerators_of(t.name);
      info_->enums[t.name] = std::move(list);
    };
    for (const auto &pf : info_->printfs)
      for (const auto &a : pf.args) visit(a);
    for (const auto &m : info_->maps) {
      for (const auto &k : m.keys) visit(k);
      visit(m.value);
    }
  }

  // config = { key = value; ... }: every key bpftrace accepts (check/config_keys.cpp).
  void apply_config() {
    apply_config_items(prog_.config, info_->config, diags_);
    str_size_ = info_->config.max_strlen;
  }

  // config max_bpf_progs / max_probes: btc makes one program per attach point and attaches it once.
  void check_program_limits() {
    const auto &c = info_->config;
    size_t n = info_->probes.size();
    if (n > c.max_bpf_progs) {
      diags_.error(DiagKind::Probe, info_->probes[c.max_bpf_progs].attach->range,
                   "Your program is trying to generate more than " + std::to_string(n) +
                       " BPF programs, which exceeds the current limit of " + std::to_string(c.max_bpf_progs));
    } else if (n > c.max_probes) {
      diags_.error(DiagKind::Probe, info_->probes[c.max_probes].attach->range,
                   "Can't attach to " + std::to_string(n) + " probes because it exceeds the current limit of " +
                       std::to_string(c.max_probes) + " probes.");
    }
  }

  // struct/union/enum/typedef definitions of the script; names they do not define come from BTF.
  void read_script_types() {
    ScriptTypes::Resolver resolve = [this](const std::string &name) -> std::optional<Type> {
      if (!btf_) return std::nullopt;
      if (name.rfind("struct ", 0) == 0 || name.rfind("union ", 0) == 0) return btf_->find_record(name);
      return btf_->parse_type(name);
    };
    for (size_t i = 0; i < prog_.c_definitions.size(); i++) {
      const std::string &d = prog_.c_definitions[i];
      if (d.empty() || d[0] == '#') continue;
      std::string err;
      SourceRange r = i < prog_.c_definition_ranges.size() ? prog_.c_definition_ranges[i] : SourceRange{};
      if (!info_->script_types.add_definition(d, resolve, &err))
        diags_.error(DiagKind::Semantic, r, "cannot read this C definition: " + err);
    }
  }

  // The size of a type in bytes; a script record's size is looked up (a pointer to a record may
  // have been made before the record was complete).
  uint32_t size_of(const Type &t) const {
    if (t.kind == TypeKind::Record && t.btf_id <= 0)
      if (const ScriptRecord *r = info_->script_types.record(t.name)) return r->size;
    return t.size;
  }

  // ---- reporting --------------------------------------------------------------------------
  // iter:KIND:PIN: the iterator is pinned at PIN (kept in target) instead of run by the tool.
  bool pinned_iter() const { return cur_ && cur_->kind == ProbeKind::Iter && !cur_->target.empty(); }

  void error(DiagKind kind, SourceRange r, const std::string &msg) {
    if (!quiet_) diags_.error(kind, r, msg);
    failed_ = true;
  }

  // ---- probes and statements --------------------------------------------------------------
  void check_probe(ProbeTarget &t) {
    cur_ = &t;
    vars_.clear();
    auto &probe = const_cast<ast::Probe &>(*t.probe);
    if (probe.predicate) {
      check_expr(*probe.predicate);
      if (!probe.predicate->type.is_none() && !truthy(probe.predicate->type))
        error(DiagKind::Type, probe.predicate->range,
              "predicate must be an integer or bool, not " + to_string(probe.predicate->type));
    }
    check_block(probe.body);
  }

  void check_block(std::vector<ast::StmtPtr> &body) {
    for (auto &s : body) check_stmt(*s);
  }

  void check_stmt(Stmt &s) {
    switch (s.kind) {
      case StmtKind::Expr:
        if (s.expr->kind == ExprKind::Call && kAggregates.count(s.expr->name)) {
          error(DiagKind::Semantic, s.expr->range, s.expr->name + "() must be assigned to a map, e.g. @x = " +
                                                       s.expr->name + "(...)");
          return;
        }
        check_expr(*s.expr, /*statement=*/true);
        break;
      case StmtKind::Assign:
        check_assign(s);
        break;
      case StmtKind::Let:
        if (s.expr) {
          check_expr(*s.expr);
          if (refuse_pton_value(*s.expr)) break;
          declare_var(s.name, s.expr->type, s.range);
        } else if (s.decl_typeof) {
          check_expr(*s.decl_typeof);  // only its type is used; it is never evaluated
          if (!s.decl_typeof->type.is_none()) declare_var(s.name, s.decl_typeof->type, s.range);
        } else if (!s.decl_type.empty()) {
          auto t = parse_type(s.decl_type, s.range);
          if (t) declare_var(s.name, *t, s.range);
        } else if (auto t = assigned_type(s.name)) {
          declare_var(s.name, *t, s.range);  // `let $x;`: typed by its assignments (seen on the first pass)
        }  // never assigned: bpftrace only warns, and a read of it is an undefined variable
        break;
      case StmtKind::If:
      case StmtKind::While:
        check_expr(*s.expr);
        if (!s.expr->type.is_none() && !truthy(s.expr->type))
          error(DiagKind::Type, s.expr->range, "condition must be an integer or bool, not " + to_string(s.expr->type));
        loop_depth_ += s.kind == StmtKind::While;
        check_block(s.body);
        loop_depth_ -= s.kind == StmtKind::While;
        check_block(s.else_body);
        break;
      case StmtKind::Unroll:
        if (s.expr)
          check_expr(*s.expr);  // unroll ($N): at most 100 times, decided at run time
        else if (s.count > 100)
          error(DiagKind::Semantic, s.range, "unroll maximum value is 100");
        else if (s.count < 1)
          error(DiagKind::Semantic, s.range, "unroll minimum value is 1");
        check_block(s.body);
        break;
      case StmtKind::Block:
        check_block(s.body);
        break;
      case StmtKind::Break:
      case StmtKind::Continue:
        if (loop_depth_ == 0)
          error(DiagKind::Semantic, s.range, std::string(s.kind == StmtKind::Break ? "break" : "continue") +
                                                 " outside of a loop");
        break;
      case StmtKind::Return:
        break;
      case StmtKind::For:
        check_for(s);
        break;
    }
  }

  // for ($kv : @map) and for ($i : a..b). The loop variable exists only inside the body and may
  // not shadow a variable of the probe (bpftrace refuses that too).
  void check_for(Stmt &s) {
    if (vars_.count(s.name)) {
      error(DiagKind::Semantic, s.range, "loop variable " + s.name + " shadows an existing variable");
      return;
    }
    Type var_type = Type::integer(8, true);
    if (s.iter) {
      auto t = map_loop_type(*s.iter);
      if (!t) return;
      var_type = *t;
      info_->loop_var_types[&s] = var_type;
    } else {
      check_expr(*s.range_begin);
      check_expr(*s.range_end);
      for (const auto *b : {s.range_begin.get(), s.range_end.get()})
        if (!b->type.is_none() && !b->type.is_int())
          error(DiagKind::Type, b->range, "range bounds must be integers, not " + to_string(b->type));
    }
    auto saved = vars_.find(s.name) == vars_.end() ? std::nullopt : std::optional<Type>(vars_[s.name]);
    vars_[s.name] = var_type;
    if (s.iter) loop_vars_.insert(s.name);
    loop_depth_++;
    check_block(s.body);
    loop_depth_--;
    loop_vars_.erase(s.name);
    if (saved)
      vars_[s.name] = *saved;
    else
      vars_.erase(s.name);
  }

  // The type of $kv in for ($kv : @m): (key, value), the key a tuple when the map has several.
  // Per-CPU count/sum/min/max/avg values are read combined over all CPUs, as in bpftrace.
  std::optional<Type> map_loop_type(Expr &m) {
    auto it = maps_.find(m.name);
    if (it == maps_.end()) {
      error(DiagKind::Name, m.range, "undefined map " + m.name);
      return std::nullopt;
    }
    const MapInfo &mi = it->second;
    m.type = mi.value;
    if (mi.keys.empty()) {
      error(DiagKind::Semantic, m.range, "for loops need a map with keys; " + m.name + " is a scalar map");
      return std::nullopt;
    }
    Type value = mi.value;
    switch (value.kind) {
      case TypeKind::Count:
        value = Type::integer(8, false);
        break;
      case TypeKind::Sum:
      case TypeKind::Min:
      case TypeKind::Max:
      case TypeKind::Avg:
        value = Type::integer(8, true);
        break;
      case TypeKind::Stats:
      case TypeKind::Hist:
      case TypeKind::Lhist:
        error(DiagKind::Type, m.range, "cannot iterate over " + m.name + ": its values are " + to_string(value));
        return std::nullopt;
      default:
        break;
    }
    Type key = mi.keys.size() == 1 ? mi.keys[0] : make_tuple(mi.keys);
    return make_tuple({key, value});
  }

  void declare_var(const std::string &name, const Type &value, SourceRange r) {
    if (value.is_none()) return;
    if (value.kind == TypeKind::Void || value.is_aggregate()) {
      error(DiagKind::Type, r, "cannot assign a value of type " + to_string(value) + " to " + name);
      return;
    }
    Type t = value;
    if (!expand_value(t, r)) return;
    auto it = vars_.find(name);
    if (it == vars_.end()) {
      vars_[name] = t;
      note_var_type(name, t);
      return;
    }
    if (!same_shape(it->second, t)) {
      error(DiagKind::Type, r,
            "type mismatch for " + name + ": trying to assign " + to_string(t) + " to a variable of type " +
                to_string(it->second));
      return;
    }
    if (t.kind == TypeKind::Tuple) {  // a tuple variable grows to hold every value assigned to it
      widen_type(it->second, t);
      note_var_type(name, it->second);
    } else {
      note_var_type(name, t);
    }
  }

  // The type recorded for $variable name in this probe by an earlier pass, if it was assigned.
  std::optional<Type> assigned_type(const std::string &name) const {
    auto pit = info_->var_types.find(cur_->probe);
    if (pit == info_->var_types.end()) return std::nullopt;
    auto it = pit->second.find(name);
    if (it == pit->second.end()) return std::nullopt;
    return it->second;
  }

  // Variable types are recorded per probe for the emitter (a block may be checked several times).
  void note_var_type(const std::string &name, const Type &t) {
    auto &m = info_->var_types[cur_->probe];
    auto it = m.find(name);
    if (it == m.end()) m[name] = t;
    else if ((t.is_string() || t.kind == TypeKind::Tuple) && same_shape(it->second, t))
      widen_type(it->second, t);
    else if (t.stored_as_bytes() && it->second.kind == t.kind)
      it->second.size = std::max(it->second.size, t.size);
  }

  // `@m = { stmts; avg($x) }`: the aggregate call at the end of (nested) block expressions, after
  // checking the blocks' statements; nullptr when the value is not an aggregate call.
  Expr *aggregate_in_blocks(Expr &e) {
    Expr *v = &e;
    while (v->kind == ExprKind::Block && !v->args.empty()) v = v->args[0].get();
    if (v->kind != ExprKind::Call || !kAggregates.count(v->name)) return nullptr;
    for (Expr *b = &e; b->kind == ExprKind::Block; b = b->args[0].get()) {
      check_block(b->body);
      b->type = Type::aggregate(aggregate_kind(v->name));
    }
    return v;
  }

  void check_assign(Stmt &s) {
    Expr &lhs = *s.lhs;
    Expr *agg = aggregate_in_blocks(*s.expr);
    Expr &rhs = agg ? *agg : *s.expr;
    bool is_agg = agg != nullptr;
    if (is_agg) {
      if (lhs.kind != ExprKind::Map || s.op != "=") {
        error(DiagKind::Semantic, rhs.range, rhs.name + "() can only be assigned to a map with '='");
        return;
      }
      check_aggregate_call(rhs);
      if (s.expr.get() != &rhs) s.expr->type = rhs.type;
      assign_map(lhs, rhs.type, s.range);
      return;
    }
    check_expr(rhs);
    if (rhs.type.is_none() || refuse_pton_value(rhs)) return;
    if (s.op != "=") {
      if (!rhs.type.is_int()) {
        error(DiagKind::Type, rhs.range, "operator " + s.op + " needs an integer, not " + to_string(rhs.type));
        return;
      }
    }
    if (lhs.kind == ExprKind::Var && loop_vars_.count(lhs.name)) {
      error(DiagKind::Semantic, lhs.range, "cannot assign to the loop variable " + lhs.name);
      return;
    }
    if (lhs.kind == ExprKind::Var) {
      if (s.op != "=") {
        auto it = vars_.find(lhs.name);
        if (it == vars_.end()) {
          error(DiagKind::Name, lhs.range, "undefined variable " + lhs.name);
          return;
        }
        bool ptr_step = it->second.kind == TypeKind::Pointer && (s.op == "+=" || s.op == "-=") && pointee_size(it->second);
        if (!it->second.is_int() && !ptr_step) {
          error(DiagKind::Type, lhs.range, "operator " + s.op + " needs an integer, not " + to_string(it->second));
          return;
        }
        lhs.type = it->second;
        return;
      }
      declare_var(lhs.name, rhs.type, s.range);
      lhs.type = vars_.count(lhs.name) ? vars_[lhs.name] : rhs.type;
    } else if (lhs.kind == ExprKind::Map) {
      Type vt = rhs.type;
      if (vt.is_int() && vt.kind != TypeKind::Bool) vt = widened_int(vt);
      const Type *held = lookup_map_value(lhs);
      if ((s.op == "+=" || s.op == "-=") && held && held->kind == TypeKind::Pointer && pointee_size(*held))
        vt = *held;  // @p += n moves a pointer by n elements
      assign_map(lhs, vt, s.range);
    } else {
      error(DiagKind::Semantic, lhs.range, "can only assign to a $variable or a @map");
    }
  }

  const Type *lookup_map_value(const Expr &m) {
    auto it = maps_.find(m.name);
    return it == maps_.end() ? nullptr : &it->second.value;
  }

  std::vector<Type> key_types(Expr &m) {
    std::vector<Type> keys;
    for (auto &k : m.args) {
      check_expr(*k);
      Type t = k->type;
      if (t.kind == TypeKind::Tuple && m.args.size() == 1) {  // @m[(a, b)] is @m[a, b]
        for (const auto &el : t.inner) keys.push_back(key_type(el, *k));
        continue;
      }
      keys.push_back(key_type(t, *k));
    }
    return keys;
  }

  // A map key field: integers are stored as 64-bit values; a tuple inside a tuple key is one field.
  Type key_type(Type t, const Expr &k) {
    if (t.is_int() && t.kind != TypeKind::Bool) t = widened_int(t);
    if (t.kind == TypeKind::Tuple) {
      for (const auto &el : t.inner) key_type(el, k);
      return t;
    }
    if (t.is_composite() && !expand_value(t, k.range)) return Type::none();
    if (!t.is_none() && !t.is_int() && !t.is_string() && t.kind != TypeKind::Ksym && t.kind != TypeKind::Kstack &&
        t.kind != TypeKind::Ustack && t.kind != TypeKind::Usym && t.kind != TypeKind::Username &&
        !t.stored_as_bytes() && t.kind != TypeKind::CgroupPath && t.kind != TypeKind::Timestamp) {
      error(DiagKind::Type, k.range, "map key of type " + to_string(t) + " is not supported");
    }
    return t;
  }

  void assign_map(Expr &m, const Type &stored, SourceRange r) {
    std::vector<Type> keys = key_types(m);
    if (stored.kind == TypeKind::Void || stored.kind == TypeKind::Context) {
      error(DiagKind::Type, r, "cannot store a value of type " + to_string(stored) + " in map " + m.name);
      return;
    }
    Type value = stored;
    if (!expand_value(value, r)) return;
    auto it = maps_.find(m.name);
    if (it == maps_.end()) {
      MapInfo mi;
      mi.name = m.name;
      mi.keys = keys;
      mi.value = value;
      mi.first_use = m.range;
      mi.max_entries = info_->config.max_map_keys;
      maps_[m.name] = mi;
    } else {
      MapInfo &mi = it->second;
      check_keys(m, mi, keys);
      if (!same_shape(mi.value, value)) {
        error(DiagKind::Type, r,
              "type mismatch for " + m.name + ": trying to assign " + to_string(value) + " to a map of type " +
                  to_string(mi.value));
      } else if ((value.is_string() && mi.value.is_string()) || value.kind == TypeKind::Tuple) {
        widen_type(mi.value, value);
      } else if (value.stored_as_bytes() && mi.value.kind == value.kind) {
        mi.value.size = std::max(mi.value.size, value.size);
      }
    }
    m.type = maps_[m.name].value;
  }

  void check_keys(Expr &m, MapInfo &mi, const std::vector<Type> &keys) {
    if (keys.size() != mi.keys.size()) {
      error(DiagKind::Type, m.range,
            m.name + " used with " + std::to_string(keys.size()) + " key(s) here but " +
                std::to_string(mi.keys.size()) + " elsewhere");
      return;
    }
    for (size_t i = 0; i < keys.size(); i++) {
      if (keys[i].is_none()) continue;
      if (!same_shape(keys[i], mi.keys[i])) {
        error(DiagKind::Type, keys.size() == m.args.size() ? m.args[i]->range : m.range,
              "key " + std::to_string(i + 1) + " of " + m.name + " has type " + to_string(keys[i]) + ", expected " +
                  to_string(mi.keys[i]));
      } else if (keys[i].is_string() || keys[i].kind == TypeKind::Tuple) {
        widen_type(mi.keys[i], keys[i]);
      } else if (keys[i].stored_as_bytes()) {
        mi.keys[i].size = std::max(mi.keys[i].size, keys[i].size);
      }
    }
  }

  // ---- expressions ------------------------------------------------------------------------
  void check_expr(Expr &e, bool statement = false) {
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
        if (e.ival < 1 || e.ival > BTC_MAX_PARAMS) {
          error(DiagKind::Semantic, e.range, "positional parameter $" + std::to_string(e.ival) + " is out of range (1.." +
                                                 std::to_string(BTC_MAX_PARAMS) + ")");
          break;
        }
        info_->max_param = std::max<uint32_t>(info_->max_param, static_cast<uint32_t>(e.ival));
        e.type = Type::integer(8, true);
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
        auto t = parse_type(e.cast_type, e.range);
        if (!t || e.args[0]->type.is_none()) break;
        if (is_pton(*e.args[0]) && t->is_int() && t->size == e.args[0]->type.size) {
          e.type = *t;  // (uint32)pton("1.2.3.4"): the address bytes in memory order
          break;
        }
        bool from_scalar = e.args[0]->type.is_int() || e.args[0]->type.kind == TypeKind::Pointer;
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
        if (!e.args.empty()) {
          check_expr(*e.args[0]);
          if (!e.args[0]->type.is_none()) e.ival = e.args[0]->type.size;
        } else if (is_identifier(e.cast_type) && constant_named(e.cast_type)) {
          e.ival = 8;  // sizeof(TCP_ESTABLISHED): an enumerator or #define is an int64 value
        } else {
          auto t = parse_type(e.cast_type, e.range);
          if (t) e.ival = t->size;
        }
        e.type = Type::integer(8, false);
        break;
      }
      case ExprKind::Tuple: {
        std::vector<Type> elems;
        for (auto &a : e.args) {
          check_expr(*a);
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
          error(DiagKind::Semantic, e.range, "tuple index " + std::to_string(e.ival) + " is out of range for " +
                                                 to_string(b.type));
          return;
        }
        if (!tuple_operand(b)) {
          error(DiagKind::Semantic, e.range,
                "tuple elements can only be taken from $variables, maps and tuple literals");
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

  // A struct or array value that is stored (in a variable, map, tuple or event) gets its members
  // listed in its type, recursively, so that the runtime can print it. Other types are left as
  // they are. False (after an error) for records btc cannot describe.
  bool expand_value(Type &t, SourceRange r) {
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
      bool printable = m.is_int() || m.is_string() || m.kind == TypeKind::Pointer || m.is_composite();
      if (!printable || !expand_value(m, r)) return printable ? false : refuse_record_value(t, members[i].first, r);
      t.inner.push_back(m);
      t.fields.push_back(members[i].first);
    }
    t.offsets = std::move(offsets);
    return true;
  }

  // A bitfield member btc can print: a plain integer (not an enum or bool) of at most 8 bytes.
  static bool bitfield_member(const Type &t) {
    return t.kind == TypeKind::Int && !is_enum(t) && t.size >= 1 && t.size <= 8;
  }

  bool refuse_record_value(const Type &t, const std::string &member, SourceRange r) {
    error(DiagKind::Type, r,
          "storing a " + to_string(t) + " value is not supported" +
              (member.empty() ? "" : " (its member '" + member + "' cannot be stored)"));
    return false;
  }

  // The type an expression has as a tuple element: integers keep their size (a literal gets the
  // smallest signed type that holds it, as in bpftrace), pointers become uint64. nullopt when
  // such a value cannot be a tuple element.
  static std::optional<Type> tuple_elem_type(const Expr &a) {
    // (whole structs and arrays are returned as they are: the caller expands them with expand_value)
    const Type &t = a.type;
    if (is_enum(t)) return widened_int(t);  // enum values are 64-bit, as in bpftrace
    if (a.kind == ExprKind::Int && !a.is_unsigned_literal) return Type::integer(literal_size(a.uval), true);
    if (a.kind == ExprKind::Unary && a.op == "-" && a.args[0]->kind == ExprKind::Int &&
        !a.args[0]->is_unsigned_literal && a.args[0]->uval > 0)
      return Type::integer(literal_size(a.args[0]->uval - 1), true);  // -128 still fits int8
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

  static uint32_t literal_size(uint64_t v) { return v <= 0x7f ? 1 : v <= 0x7fff ? 2 : v <= 0x7fffffff ? 4 : 8; }

  // A record from kernel BTF, remembered so the emitter defines it (CO-RE) in the BPF C.
  std::optional<Type> kernel_record(const std::string &name, SourceRange r) {
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

  void note_record(const Type &t) {
    if ((t.kind == TypeKind::Pointer || t.kind == TypeKind::Array) && !t.inner.empty()) return note_record(t.inner[0]);
    if (t.kind == TypeKind::Record && t.btf_id > 0 && !t.name.empty() &&
        std::find(info_->kernel_records.begin(), info_->kernel_records.end(), t.name) == info_->kernel_records.end())
      info_->kernel_records.push_back(t.name);
  }

  std::optional<Type> parse_type(const std::string &spelling, SourceRange r) {
    static const std::pair<const char *, Type> kBuiltinTypes[] = {
        {"int8", Type::integer(1, true)},   {"int16", Type::integer(2, true)},  {"int32", Type::integer(4, true)},
        {"int64", Type::integer(8, true)},  {"uint8", Type::integer(1, false)}, {"uint16", Type::integer(2, false)},
        {"uint32", Type::integer(4, false)}, {"uint64", Type::integer(8, false)}, {"bool", Type::boolean()},
    };
    for (const auto &[n, t] : kBuiltinTypes)
      if (spelling == n) return t;
    if (auto t = info_->script_types.parse_type(spelling)) return t;
    if (auto t = dwarf_type(spelling)) return t;
    if (btf_) {
      auto t = btf_->parse_type(spelling);
      if (t) return t;
    }
    error(DiagKind::Name, r, "unknown type '" + spelling + "'");
    return std::nullopt;
  }

  void check_map_read(Expr &e) {
    auto it = maps_.find(e.name);
    if (it == maps_.end()) {
      std::vector<std::string> names;
      for (auto &[n, m] : maps_) names.push_back(n);
      std::string hint = closest_match(e.name, names);
      error(DiagKind::Name, e.range, "undefined map " + e.name + (hint.empty() ? "" : ", did you mean " + hint + "?"));
      for (auto &k : e.args) check_expr(*k);
      return;
    }
    std::vector<Type> keys = key_types(e);
    check_keys(e, it->second, keys);
    const Type &v = it->second.value;
    switch (v.kind) {
      case TypeKind::Count:
      case TypeKind::Sum:
      case TypeKind::Min:
      case TypeKind::Max:
      case TypeKind::Avg:
        e.type = Type::integer(8, v.kind != TypeKind::Count);
        break;
      case TypeKind::Stats:
      case TypeKind::Hist:
      case TypeKind::Lhist:
        error(DiagKind::Type, e.range, "a " + to_string(v) + " map value cannot be used in an expression");
        break;
      default:
        e.type = v;
    }
  }

  void check_builtin(Expr &e) {
    // bpftrace's standard library spells some builtins __builtin_NAME inside its macros.
    static const std::set<std::string> kWrapped = {"comm", "cpid",      "cpu",    "elapsed",  "func",  "ncpus",
                                                   "probe", "probetype", "retval", "usermode", "config"};
    if (e.name.rfind("__builtin_", 0) == 0 && kWrapped.count(e.name.substr(10))) e.name = e.name.substr(10);
    const std::string &n = e.name;
    if (n == "pid" || n == "tid" || n == "uid" || n == "gid") {
      e.type = Type::integer(4, false);
    } else if (n == "nsecs" || n == "elapsed" || n == "cpu" || n == "cgroup" || n == "jiffies" || n == "cpid") {
      e.type = Type::integer(8, false);
    } else if (n == "rand") {
      e.type = Type::integer(4, false);
    } else if (n == "curtask") {
      // A script that defines its own struct task_struct reads curtask with that layout.
      auto task = info_->script_types.parse_type("struct task_struct");
      if (!task) task = kernel_record("struct task_struct", e.range);
      if (!task) return;
      e.type.kind = TypeKind::Pointer;
      e.type.size = 8;
      e.type.inner = {*task};
      e.type.addr_space = AddrSpace::Kernel;
    } else if (n == "ctx") {
      check_ctx(e);
    } else if (n == "ppid") {
      if (!kernel_record("struct task_struct", e.range)) return;
      e.type = Type::integer(4, false);
    } else if (n == "kstack" || n == "ustack") {
      e.type = stack_type(n == "kstack", info_->config.stack_mode, BTC_MAX_STACK_FRAMES);
    } else if (n == "comm") {
      e.type = Type::string(16);
    } else if (n == "ncpus") {
      e.type = Type::integer(8, false);
    } else if (n == "numaid") {
      e.type = Type::integer(4, false);
    } else if (n == "username") {
      e.type.kind = TypeKind::Username;  // the uid; user space prints the name
      e.type.size = 8;
    } else if (n == "pcomm" || n == "leader_comm") {
      if (!kernel_record("struct task_struct", e.range)) return;
      e.type = Type::string(16);
    } else if (n == "leader_tid") {  // current->group_leader->pid
      if (!kernel_record("struct task_struct", e.range)) return;
      e.type = Type::integer(4, false);
    } else if (n == "usermode") {
      check_usermode(e);
    } else if (n == "probetype") {
      e.kind = ExprKind::String;  // known for each attach point: a literal
      e.sval = probe_type_name(cur_->kind);
      e.type = Type::string(static_cast<uint32_t>(e.sval.size() + 1));
    } else if (n == "config") {
      error(DiagKind::Semantic, e.range, "config is a record of the settings: read one field, e.g. config.max_strlen");
    } else if (n == "probe") {
      e.type = Type::string(longest_of_probe([](const ProbeTarget &t) { return t.spec.size(); }) + 1);
    } else if (n == "func") {
      if (cur_->func.empty() || (cur_->kind != ProbeKind::Uprobe && cur_->kind != ProbeKind::Uretprobe &&
                                 cur_->kind != ProbeKind::Kprobe && cur_->kind != ProbeKind::Kretprobe &&
                                 cur_->kind != ProbeKind::Fentry && cur_->kind != ProbeKind::Fexit)) {
        error(DiagKind::Semantic, e.range, "func can only be used in kprobe/uprobe probes");
        return;
      }
      e.type = Type::string(longest_of_probe([](const ProbeTarget &t) { return t.func.size(); }) + 1);
    } else if (cur_->kind == ProbeKind::Usdt && (n == "arg10" || n == "arg11" ||
                                                 (n.size() == 4 && n.compare(0, 3, "arg") == 0 &&
                                                  isdigit(static_cast<unsigned char>(n[3]))))) {  // libbpf: 12 at most
      e.type = Type::integer(8, true);  // USDT arguments: libbpf decodes each note's arg spec
      e.type.addr_space = AddrSpace::User;
    } else if (n.size() == 4 && n.compare(0, 3, "arg") == 0 && isdigit(static_cast<unsigned char>(n[3]))) {
      if (cur_->kind != ProbeKind::Uprobe && cur_->kind != ProbeKind::Kprobe && cur_->kind != ProbeKind::Rawtp) {
        error(DiagKind::Semantic, e.range,
              n + " can only be used in kprobe, uprobe, usdt and rawtracepoint probes, not in " + cur_->spec);
        return;
      }
      if (n[3] > '5') {
        error(DiagKind::Semantic, e.range, n + ": only arg0..arg5 are passed in registers");
        return;
      }
      cur_->max_arg = std::max(cur_->max_arg, n[3] - '0');
      e.type = Type::integer(8, false);
    } else if (n == "retval" && cur_->kind == ProbeKind::Fexit) {
      const Type &r = cur_->proto->ret;
      if (!(r.is_int() || r.kind == TypeKind::Pointer)) {
        error(DiagKind::Type, e.range, "retval of " + cur_->func + " has type " + to_string(r) +
                                           ", which is not supported yet");
        return;
      }
      e.type = r.kind == TypeKind::Pointer ? r : Type::integer(8, r.is_signed);
    } else if (n == "retval") {
      if (cur_->kind != ProbeKind::Uretprobe && cur_->kind != ProbeKind::Kretprobe) {
        error(DiagKind::Semantic, e.range, "retval can only be used in kretprobe and uretprobe probes, not in " +
                                               cur_->spec);
        return;
      }
      e.type = Type::integer(8, false);
    } else if (n == "args" && cur_->kind == ProbeKind::Uprobe) {  // typed from the binary's DWARF
      if (!cur_->proto && !resolve_dwarf_args(e.range)) return;
      e.type.kind = TypeKind::Context;
      e.type.name = cur_->func;
      cur_->uses_args = true;
    } else if (n == "args" && cur_->proto) {  // fentry, fexit, rawtracepoint: typed from BTF
      e.type.kind = TypeKind::Context;
      e.type.name = cur_->func;
      cur_->uses_args = true;
    } else if (n == "args") {
      if (cur_->kind != ProbeKind::Tracepoint) {
        error(DiagKind::Semantic, e.range, "args can only be used in tracepoint probes here, not in " + cur_->spec);
        return;
      }
      e.type.kind = TypeKind::Context;
      e.type.name = cur_->target + ":" + cur_->func;
    } else if (auto v = constant_named(n)) {
      // A #define from the script's preamble or a kernel enumerator (TCP_ESTABLISHED): a literal.
      // An enumerator of the script's own enums keeps its enum, so it prints as its name.
      e.kind = ExprKind::Int;
      e.ival = *v;
      e.uval = static_cast<uint64_t>(*v);
      e.type = Type::integer(8, true);
      if (auto en = info_->script_types.enumerator(n)) e.type.name = en->enum_name;
    } else {
      static const std::vector<std::string> names = {
          "pid",   "tid",    "uid",      "gid",    "nsecs",    "elapsed",   "cpu",         "comm",
          "probe", "func",   "args",     "retval", "arg0",     "arg1",      "arg2",        "arg3",
          "arg4",  "arg5",   "rand",     "cgroup", "jiffies",  "cpid",      "curtask",     "ppid",
          "ncpus", "numaid", "username", "pcomm",  "usermode", "probetype", "leader_comm", "leader_tid"};
      std::string hint = closest_match(n, names);
      error(DiagKind::Name, e.range, "unknown identifier '" + n + "'" + (hint.empty() ? "" : ", did you mean " + hint + "?"));
    }
  }

  // ctx: the probe's context, a kernel pointer to the record its program type receives.
  void check_ctx(Expr &e) {
    std::string record;
    switch (cur_->kind) {
      case ProbeKind::Kprobe:
      case ProbeKind::Kretprobe:
      case ProbeKind::Uprobe:
      case ProbeKind::Uretprobe:
      case ProbeKind::Usdt:
        record = "struct pt_regs";
        break;
      case ProbeKind::Interval:
      case ProbeKind::Profile:
      case ProbeKind::Software:
      case ProbeKind::Hardware:
      case ProbeKind::Watchpoint:
        record = "struct bpf_perf_event_data";
        break;
      case ProbeKind::Iter:
        record = "struct bpf_iter__" + cur_->func;
        break;
      case ProbeKind::Tracepoint:
        error(DiagKind::Semantic, e.range, "Use args instead of ctx in tracepoint");
        return;
      default:
        error(DiagKind::Semantic, e.range,
              "The ctx builtin can not be used with '" + cur_->spec.substr(0, cur_->spec.find(':')) + "' probes");
        return;
    }
    auto t = kernel_record(record, e.range);
    if (!t) return;
    e.type.kind = TypeKind::Pointer;
    e.type.size = 8;
    e.type.inner = {*t};
    e.type.addr_space = AddrSpace::Kernel;
  }

  // The debug info of uprobe binary `name` (a path or a library name), opened once; null with
  // *err when it has none.
  DwarfTypes *dwarf_of(const std::string &name, std::string *err) {
    std::string path = resolve_binary_path(name);
    if (path.empty()) path = name;
    auto it = dwarf_.find(path);
    if (it == dwarf_.end()) {
      std::string why;
      it = dwarf_.emplace(path, DwarfTypes::open(path, &why)).first;
      dwarf_errors_[path] = why;
    }
    *err = dwarf_errors_[path];
    return it->second.get();
  }

  // Copies the records the binary's DWARF described so far into the script's types (the
  // script's own definitions of the same names win, as in bpftrace).
  void import_dwarf_records(const DwarfTypes &dw) {
    for (const auto &[name, rec] : dw.records()) info_->script_types.add_record(rec);
  }

  // uprobe `args`: the function's parameters from DWARF, as the prototype check_function_arg
  // and the emitter read (parameter i is in argument register i).
  bool resolve_dwarf_args(SourceRange r) {
    std::string why = "Could not parse arguments of \"" + cur_->spec + "\": ";
    std::string err;
    DwarfTypes *dw = dwarf_of(cur_->target, &err);
    if (!dw) {
      error(DiagKind::Semantic, r, why + err);
      return false;
    }
    auto params = dw->function_params(cur_->func);
    if (!params) {
      error(DiagKind::Semantic, r, why + "the debug info of " + cur_->target + " does not describe " + cur_->func);
      return false;
    }
    if (params->size() > 6) {
      error(DiagKind::Semantic, r, why + "'args' builtin is not supported for probes with stack-passed arguments.");
      return false;
    }
    import_dwarf_records(*dw);
    KernelBtf::FunctionProto proto;
    for (const auto &p : *params) {
      FieldInfo f;
      f.name = p.name;
      f.type = p.type;
      if (f.type.is_none()) f.type.name = p.spelling;  // for the "not supported" diagnostic
      proto.params.push_back(std::move(f));
    }
    proto.ret = Type::integer(8, false);
    cur_->proto = std::move(proto);
    return true;
  }

  // A struct/union the script names but does not define, from the DWARF of the uprobe's binary.
  std::optional<Type> dwarf_type(const std::string &spelling) {
    if (!cur_ || (cur_->kind != ProbeKind::Uprobe && cur_->kind != ProbeKind::Uretprobe)) return std::nullopt;
    std::string base = spelling.substr(0, spelling.find_first_of("*["));
    while (!base.empty() && base.back() == ' ') base.pop_back();
    if (base.rfind("struct ", 0) != 0 && base.rfind("union ", 0) != 0) return std::nullopt;
    std::string err;
    DwarfTypes *dw = dwarf_of(cur_->target, &err);
    if (!dw || !dw->record(base)) return std::nullopt;
    import_dwarf_records(*dw);
    return info_->script_types.parse_type(spelling);
  }

  // The longest `length` over the attach points of the current probe: `probe` and `func` get one
  // string type for all of them (the probe's body, its printf records and maps are shared).
  uint32_t longest_of_probe(const std::function<size_t(const ProbeTarget &)> &length) {
    size_t n = length(*cur_);
    for (const auto &t : info_->probes)
      if (t.probe == cur_->probe) n = std::max(n, length(t));
    return static_cast<uint32_t>(n);
  }

  // usermode: the CS register's privilege level in a pt_regs context; BEGIN/END (and signal
  // probes) run on behalf of the tool's own process in user mode, as bpftrace's do.
  void check_usermode(Expr &e) {
    ProbeKind k = cur_->kind;
    bool regs_ctx = k == ProbeKind::Kprobe || k == ProbeKind::Kretprobe || k == ProbeKind::Uprobe ||
                    k == ProbeKind::Uretprobe || k == ProbeKind::Usdt || k == ProbeKind::Profile ||
                    k == ProbeKind::Interval || k == ProbeKind::Software || k == ProbeKind::Hardware;
    bool tool_ctx = k == ProbeKind::Begin || k == ProbeKind::End || k == ProbeKind::Signal;
    if (!regs_ctx && !tool_ctx) {
      error(DiagKind::Semantic, e.range,
            "usermode can only be used in kprobe, uprobe, usdt, perf-event, begin and end probes, not in " +
                cur_->spec);
      return;
    }
    e.type = Type::integer(1, false);
  }

  // bpftrace's name of a probe type (the probetype builtin).
  static std::string probe_type_name(ProbeKind k) {
    switch (k) {
      case ProbeKind::Begin: case ProbeKind::End: case ProbeKind::Signal: return "special";
      case ProbeKind::Tracepoint: return "tracepoint";
      case ProbeKind::Uprobe: return "uprobe";
      case ProbeKind::Uretprobe: return "uretprobe";
      case ProbeKind::Interval: return "interval";
      case ProbeKind::Profile: return "profile";
      case ProbeKind::Kprobe: return "kprobe";
      case ProbeKind::Kretprobe: return "kretprobe";
      case ProbeKind::Rawtp: return "rawtracepoint";
      case ProbeKind::Software: return "software";
      case ProbeKind::Fentry: return "fentry";
      case ProbeKind::Fexit: return "fexit";
      case ProbeKind::Hardware: return "hardware";
      case ProbeKind::Usdt: return "usdt";
      case ProbeKind::Iter: return "iter";
      case ProbeKind::Watchpoint: return "watchpoint";
    }
    return "invalid";
  }

  // config.KEY and config().KEY: the setting as a literal (check/config_keys.cpp).
  static bool is_config_record(const Expr &e) {
    return (e.kind == ExprKind::Builtin && (e.name == "config" || e.name == "__builtin_config")) ||
           (e.kind == ExprKind::Call && e.name == "config" && e.args.empty());
  }

  void fold_config_field(Expr &e) {
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

  void check_field(Expr &e) {
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
  void check_named_field(Expr &e, Expr &base) {
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
  void check_function_arg(Expr &e) {
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
        error(DiagKind::Type, e.range, "argument " + e.name + " of " + cur_->func + " has type " + to_string(t) +
                                           ", which is not supported yet");
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
    error(DiagKind::Name, e.range, cur_->func + " has no argument '" + e.name + "'" +
                                       (hint.empty() ? "" : ", did you mean args." + hint + "?"));
  }

  // p->f, p.f (pointer to record) and r.f (record reached through an earlier field).
  void check_record_field(Expr &e, Expr &base) {
    const Type *rec = nullptr;
    AddrSpace as = base.type.addr_space;
    if (base.type.kind == TypeKind::Pointer && !base.type.inner.empty() && base.type.inner[0].kind == TypeKind::Record)
      rec = &base.type.inner[0];
    else if (base.type.kind == TypeKind::Record && !e.is_arrow)
      rec = &base.type;
    if (!rec) {
      error(DiagKind::Type, e.range, "cannot access field '" + e.name + "' of " + to_string(base.type) +
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
  void check_script_field(Expr &e, const Type &rec, AddrSpace as) {
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
    e.type = f->type;
    if (f->bit_size) e.type = Type::integer(f->type.size, f->type.is_signed);
    if (!e.type.is_int()) e.type.addr_space = as;
    note_record(e.type);
  }

  // a[i] on an array member (reached through a pointer) and p[i] on a pointer.
  // $t[N]: the same as $t.N; N must fold to a constant ($t[1 + 1] is fine, $t[$i] is not).
  void tuple_subscript(Expr &e) {
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
  static std::optional<int64_t> fold_int(const Expr &e) {
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

  void check_index(Expr &e) {
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
        error(DiagKind::Semantic, e.range, "the index " + std::to_string(i.ival) +
                                               " is out of bounds for array of size " + std::to_string(bt.count));
        return;
      }
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
  static bool addressable(const Expr &e) {
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
  void check_offsetof(Expr &e) {
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

  // The step of pointer arithmetic on `p` (0 when the pointee has no size).
  uint32_t pointee_size(const Type &p) const { return p.inner.empty() ? 0 : size_of(p.inner[0]); }

  void check_unary(Expr &e) {
    Expr &a = *e.args[0];
    check_expr(a);
    if (a.type.is_none()) return;
    if (e.op == "!" || e.op == "-" || e.op == "~") {
      if (!a.type.is_int() && !(e.op == "!" && truthy(a.type))) {
        error(DiagKind::Type, e.range, "operator " + e.op + " needs an integer, not " + to_string(a.type));
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

  void check_incdec(Expr &e) {
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
    } else if (a.kind == ExprKind::Map) {
      auto it = maps_.find(a.name);
      bool ptr = it != maps_.end() && it->second.value.kind == TypeKind::Pointer && pointee_size(it->second.value);
      if (it != maps_.end() && !it->second.value.is_int() && !ptr) {
        error(DiagKind::Type, e.range, "operator " + e.op + " needs an integer map, " + a.name + " holds " +
                                           to_string(it->second.value));
        return;
      }
      Type vt = ptr ? it->second.value : Type::integer(8, true);
      assign_map(a, vt, e.range);
      e.type = vt;
    } else {
      error(DiagKind::Semantic, e.range, "operator " + e.op + " needs a $variable or a @map");
    }
  }

  // Reinterpreting casts between integers and integer arrays of the same byte size, as bpftrace
  // allows: (int8[8])n, (int8[])n (size from the operand), (uint8[])"str" (its bytes with the
  // NUL), (int32)a where a is a 4-byte array. False when e is none of these (not an error).
  bool check_array_cast(Expr &e, Type t) {
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

  void check_binary(Expr &e) {
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
  void note_division_by_zero(const Expr &e) {
    const Expr &r = *e.args[1];
    if (r.kind == ExprKind::Int && r.uval != 0) return;
    if (quiet_ || info_->printf_id.count(&e)) return;
    PrintfInfo pi;
    pi.fmt = "Divide or modulo by 0 detected. This can lead to unexpected results. 1 is being used as the result.";
    pi.severity = BTC_SEV_WARNF;
    pi.range = e.range;
    info_->printf_id[&e] = info_->printfs.size();
    info_->printfs.push_back(std::move(pi));
  }

  // Tuple values the emitter can take apart: literals, $variables, map values and their elements.
  static bool tuple_operand(const Expr &e) {
    return e.kind == ExprKind::Tuple || e.kind == ExprKind::Record || e.kind == ExprKind::Var ||
           e.kind == ExprKind::Map || e.kind == ExprKind::TupleIndex || e.kind == ExprKind::Ternary ||
           e.kind == ExprKind::Block;
  }

  // ---- calls ------------------------------------------------------------------------------
  bool arity(Expr &e, size_t min, size_t max) {
    if (e.args.size() < min || e.args.size() > max) {
      std::string want = min == max ? std::to_string(min) : std::to_string(min) + " to " + std::to_string(max);
      error(DiagKind::Semantic, e.range,
            e.name + "() takes " + want + " argument" + (max == 1 ? "" : "s") + ", got " +
                std::to_string(e.args.size()));
      return false;
    }
    return true;
  }

  static std::optional<int64_t> literal_int(const Expr &e) {
    if (e.kind == ExprKind::Int) return e.ival;
    if (e.kind == ExprKind::Unary && e.op == "-" && e.args[0]->kind == ExprKind::Int) return -e.args[0]->ival;
    return std::nullopt;
  }

  std::optional<int64_t> const_int(Expr &e) {
    if (auto v = literal_int(e)) return v;
    error(DiagKind::Semantic, e.range, "this argument must be an integer literal");
    return std::nullopt;
  }

  // An integer argument that may be computed at run time (str()'s and strncmp()'s lengths).
  bool check_int_arg(Expr &e, const std::string &fn) {
    check_expr(e);
    if (e.type.is_none()) return false;
    if (e.type.is_int()) return true;
    error(DiagKind::Type, e.range, fn + "() needs an integer length, not " + to_string(e.type));
    return false;
  }

  void check_aggregate_call(Expr &e) {
    TypeKind k = aggregate_kind(e.name);
    size_t want = k == TypeKind::Count ? 0 : k == TypeKind::Lhist ? 4 : 1;
    size_t max = k == TypeKind::Hist ? 2 : want;
    if (!arity(e, want, max)) return;
    for (auto &a : e.args) check_expr(*a);
    if (!e.args.empty() && !e.args[0]->type.is_none() && !e.args[0]->type.is_int()) {
      error(DiagKind::Type, e.args[0]->range, e.name + "() needs an integer, not " + to_string(e.args[0]->type));
      return;
    }
    Type t = Type::aggregate(k);
    if (k == TypeKind::Hist && e.args.size() == 2) {
      auto bits = const_int(*e.args[1]);
      if (!bits) return;
      if (*bits < 0 || *bits > 5) {
        error(DiagKind::Semantic, e.args[1]->range, "hist() bits must be between 0 and 5");
        return;
      }
      t.hist_bits = *bits;
    }
    if (k == TypeKind::Lhist) {
      auto mn = const_int(*e.args[1]), mx = const_int(*e.args[2]), st = const_int(*e.args[3]);
      if (!mn || !mx || !st) return;
      if (*st <= 0) {
        error(DiagKind::Semantic, e.args[3]->range, "lhist() step must be >= 1");
        return;
      }
      if (*mn >= *mx) {
        error(DiagKind::Semantic, e.range, "lhist() min must be less than max");
        return;
      }
      if ((*mx - *mn) / *st > 1000) {
        error(DiagKind::Semantic, e.range, "lhist() has too many buckets (max 1000)");
        return;
      }
      t.lhist_min = *mn;
      t.lhist_max = *mx;
      t.lhist_step = *st;
    }
    e.type = t;
  }

  void check_map_arg(Expr &e, const std::string &fn) {
    if (e.kind != ExprKind::Map || !e.args.empty()) {
      error(DiagKind::Semantic, e.range, fn + "() expects a map with no key, e.g. " + fn + "(@x)");
      return;
    }
    if (!maps_.count(e.name)) {
      error(DiagKind::Name, e.range, "undefined map " + e.name);
      return;
    }
    e.type = maps_[e.name].value;
  }

  // has_key() and len() need a map with keys; false (and an error) for a scalar map.
  bool keyed_map(const Expr &m, const std::string &fn) {
    auto it = maps_.find(m.name);
    if (it == maps_.end() || !it->second.scalar()) return true;
    error(DiagKind::Semantic, m.range, "call to " + fn + "() expects a map with explicit keys (non-scalar map)");
    return false;
  }

  void check_call(Expr &e, bool statement) {
    const std::string &fn = e.name;
    if (fn == "offsetof") return check_offsetof(e);
    auto void_only = [&]() {
      if (!statement) error(DiagKind::Semantic, e.range, fn + "() does not return a value");
      e.type = Type::void_();
    };
    if (kAggregates.count(fn)) {
      error(DiagKind::Semantic, e.range, fn + "() must be assigned directly to a map, e.g. @x = " + fn + "(...)");
      return;
    }
    // A pinned iterator runs whenever its file is read, long after the tool has exited: only
    // printf() output (bpf_seq_printf into that file) reaches anyone.
    static const std::set<std::string> kToolOutput = {"print", "time", "warnf", "errorf", "cat", "system", "join"};
    if (pinned_iter() && kToolOutput.count(fn)) {
      error(DiagKind::Semantic, e.range,
            fn + "() cannot be used in a pinned iterator: only printf() output reaches the pinned file");
      return;
    }
    if (is_builtin_call(e)) {  // pid() is pid, __builtin_cpu() is cpu, ...
      e.kind = ExprKind::Builtin;
      return check_builtin(e);
    }
    if ((fn == "pid" || fn == "tid") && e.args.size() == 1) return check_pid_namespace(e);
    if (fn == "nsecs") return check_nsecs(e);
    if (fn == "kaddr") return check_kaddr(e);
    if (fn == "uaddr") return check_uaddr(e);
    if (fn == "debugf") return check_debugf(e, statement);
    if (fn == "strstr") {
      if (!arity(e, 2, 2)) return;
      for (auto &a : e.args) {
        check_expr(*a);
        if (!a->type.is_none() && !a->type.is_string())
          error(DiagKind::Type, a->range, "strstr() needs strings, not " + to_string(a->type));
      }
      e.type = Type::integer(8, true);
      return;
    }
    if (fn == "printf" || fn == "warnf" || fn == "errorf" || fn == "system" || fn == "cat") {
      // A macro may supply the format: `{ "fmt" }` (a block holding just a literal) is the literal.
      while (!e.args.empty() && e.args[0]->kind == ExprKind::Block && e.args[0]->body.empty() &&
             !e.args[0]->args.empty()) {
        ast::ExprPtr value = std::move(e.args[0]->args[0]);
        e.args[0] = std::move(value);
      }
      if (fn == "system" && !info_->unsafe) {
        error(DiagKind::Semantic, e.range,
              "system() is an unsafe function being used in safe mode (compile with btc --unsafe to allow it)");
        return;
      }
      if (e.args.empty() || e.args[0]->kind != ExprKind::String) {
        error(DiagKind::Semantic, e.range, fn + "() needs a format string literal as its first argument");
        return;
      }
      PrintfInfo pi;
      pi.fmt = e.args[0]->sval;
      pi.severity = fn == "printf"   ? BTC_SEV_PRINTF
                    : fn == "warnf"  ? BTC_SEV_WARNF
                    : fn == "errorf" ? BTC_SEV_ERRORF
                    : fn == "system" ? BTC_SEV_SYSTEM
                                     : BTC_SEV_CAT;
      pi.range = e.range;
      for (size_t i = 1; i < e.args.size(); i++) {
        check_expr(*e.args[i]);
        pi.args.push_back(e.args[i]->type);
        if (!expand_value(pi.args.back(), e.args[i]->range)) return void_only();
      }
      for (const auto &t : pi.args)
        if (t.is_none()) return void_only();
      std::string err;
      size_t bad_arg = 0;
      if (!check_format(pi.fmt, pi.args, &err, &bad_arg)) {
        error(DiagKind::Type, bad_arg ? e.args[bad_arg]->range : e.args[0]->range, err);
        return void_only();
      }
      std::string seq_fmt;
      if (pinned_iter() && !seq_printf_format(pi.fmt, pi.args, &seq_fmt, &err, &bad_arg)) {
        error(DiagKind::Type, bad_arg && bad_arg < e.args.size() ? e.args[bad_arg]->range : e.args[0]->range, err);
        return void_only();
      }
      if (!quiet_ && !info_->printf_id.count(&e)) {
        info_->printf_id[&e] = info_->printfs.size();
        info_->printfs.push_back(std::move(pi));
      }
      return void_only();
    }
    if (fn == "exit") {
      if (!arity(e, 0, 1)) return;
      if (!e.args.empty()) {
        check_expr(*e.args[0]);
        if (!e.args[0]->type.is_none() && !e.args[0]->type.is_int())
          error(DiagKind::Type, e.args[0]->range, "exit() code must be an integer");
      }
      return void_only();
    }
    if (fn == "print" && !e.args.empty() && (e.args[0]->kind != ExprKind::Map || !e.args[0]->args.empty())) {
      // print(value), print(@m[k]): the value on its own line, as a printf with an internal format.
      if (!arity(e, 1, 1)) return;
      check_expr(*e.args[0]);
      const Type &t = e.args[0]->type;
      if (t.is_none()) return void_only();
      bool stack = t.kind == TypeKind::Kstack || t.kind == TypeKind::Ustack;
      bool as_text = t.is_string() || t.kind == TypeKind::Ksym || t.kind == TypeKind::Usym ||
                     t.kind == TypeKind::Timestamp || t.kind == TypeKind::Strerror || t.kind == TypeKind::Tuple ||
                     t.kind == TypeKind::Username || stack || t.stored_as_bytes() || t.kind == TypeKind::CgroupPath ||
                     is_enum(t);
      if (t.kind == TypeKind::Tuple && !t.fields.empty()) return check_print_tuple(e);  // a record
      bool pointer = t.kind == TypeKind::Pointer;  // printed in hex, as bpftrace does
      if (!t.is_int() && !as_text && !pointer) {
        error(DiagKind::Type, e.args[0]->range, "print() of a " + to_string(t) + " value is not supported yet");
        return void_only();
      }
      if (!quiet_ && !info_->printf_id.count(&e)) {
        PrintfInfo pi;
        pi.fmt = as_text || t.kind == TypeKind::Bool ? "%s\n" : pointer ? "0x%lx\n" : t.is_signed ? "%ld\n" : "%lu\n";
        pi.severity = BTC_SEV_PRINT;  // text: the format; JSON: a "value" record
        Type shown = pointer ? Type::integer(8, false) : t;
        if (!expand_value(shown, e.args[0]->range)) return void_only();
        pi.args.push_back(shown);
        pi.range = e.range;
        info_->printf_id[&e] = info_->printfs.size();
        info_->printfs.push_back(std::move(pi));
      }
      return void_only();
    }
    if (fn == "print" || fn == "clear" || fn == "zero") {
      if (!arity(e, 1, fn == "print" ? 3 : 1)) return;
      check_map_arg(*e.args[0], fn);
      for (size_t i = 1; i < e.args.size(); i++) {  // print(@m, top, div)
        check_expr(*e.args[i]);
        if (!e.args[i]->type.is_none() && !e.args[i]->type.is_int())
          error(DiagKind::Type, e.args[i]->range, "print() top and div must be integers");
      }
      return void_only();
    }
    if (fn == "getopt") return check_getopt(e);
    if (fn == "buf") return check_buf(e);
    if (fn == "ntop") return check_ntop(e);
    if (fn == "pton") return check_pton(e);
    if (fn == "macaddr") return check_macaddr(e);
    if (fn == "cgroup_path") return check_cgroup_path(e);
    if (fn == "join") return check_join(e, statement);
    if (fn == "time") return check_time(e, statement);
    if (fn == "reg") return check_reg(e);
    if (fn == "strftime") return check_strftime(e);
    if (fn == "strerror") {
      if (!arity(e, 1, 1)) return;
      check_expr(*e.args[0]);
      const Type &t = e.args[0]->type;
      if (!t.is_none() && !t.is_int())
        error(DiagKind::Type, e.args[0]->range, "strerror() needs an integer errno value, not " + to_string(t));
      e.type.kind = TypeKind::Strerror;
      e.type.size = 8;
      e.type.is_signed = true;
      return;
    }
    if (fn == "kstack" || fn == "ustack") {
      // kstack([mode, ][limit]) with mode one of bpftrace, perf, raw.
      if (!arity(e, 0, 2)) return;
      uint32_t mode = info_->config.stack_mode, limit = BTC_MAX_STACK_FRAMES;
      size_t i = 0;
      if (!e.args.empty() && e.args[0]->kind == ExprKind::Builtin) {
        const std::string &m = e.args[0]->name;
        if (m == "bpftrace") mode = BTC_STACK_BPFTRACE;
        else if (m == "perf") mode = BTC_STACK_PERF;
        else if (m == "raw") mode = BTC_STACK_RAW;
        else {
          error(DiagKind::Name, e.args[0]->range, "unknown stack mode '" + m + "' (bpftrace, perf, raw)");
          return;
        }
        i = 1;
      }
      if (i < e.args.size()) {
        auto n = const_int(*e.args[i]);
        if (!n) return;
        if (*n < 1 || *n > BTC_MAX_STACK_FRAMES) {
          error(DiagKind::Semantic, e.args[i]->range,
                "stack limit must be in 1.." + std::to_string(BTC_MAX_STACK_FRAMES));
          return;
        }
        limit = static_cast<uint32_t>(*n);
        i++;
      }
      if (i != e.args.size()) {
        error(DiagKind::Semantic, e.range, fn + "() takes ([mode, ][limit])");
        return;
      }
      e.type = stack_type(fn == "kstack", mode, limit);
      return;
    }
    if (fn == "strlen") {
      if (!arity(e, 1, 1)) return;
      check_expr(*e.args[0]);
      if (!e.args[0]->type.is_none() && !e.args[0]->type.is_string())
        error(DiagKind::Type, e.args[0]->range, "strlen() needs a string, not " + to_string(e.args[0]->type));
      e.type = Type::integer(8, false);
      return;
    }
    if (fn == "strncmp" || fn == "strcontains") {
      bool n3 = fn == "strncmp";
      if (!arity(e, n3 ? 3 : 2, n3 ? 3 : 2)) return;
      for (size_t i = 0; i < 2; i++) {
        check_expr(*e.args[i]);
        if (!e.args[i]->type.is_none() && !e.args[i]->type.is_string())
          error(DiagKind::Type, e.args[i]->range, fn + "() needs strings, not " + to_string(e.args[i]->type));
      }
      if (n3 && check_int_arg(*e.args[2], fn)) {
        auto n = literal_int(*e.args[2]);
        if (n && *n < 0) error(DiagKind::Semantic, e.args[2]->range, "strncmp() length must not be negative");
      }
      e.type = n3 ? Type::integer(8, true) : Type::boolean();
      return;
    }
    if (fn == "has_key") {
      // Normalised on the first pass to has_key(@m[k]) (the checker walks each body more than once).
      bool normalised = e.args.size() == 1 && e.args[0]->kind == ExprKind::Map && !e.args[0]->args.empty();
      if (!normalised && !arity(e, 2, 2)) return;
      Expr &m = *e.args[0];
      if (!normalised && (m.kind != ExprKind::Map || !m.args.empty())) {
        error(DiagKind::Semantic, m.range, "has_key() expects a map without a key, e.g. has_key(@m, k)");
        return;
      }
      if (!normalised) {
        m.args.push_back(std::move(e.args[1]));
        e.args.pop_back();
      }
      if (!keyed_map(m, fn)) return;
      check_map_read_for_delete(m);
      e.type = Type::boolean();
      return;
    }
    if (fn == "len") {
      if (!arity(e, 1, 1)) return;
      if (e.args[0]->kind != ExprKind::Map) {  // len(ustack): the number of frames
        check_expr(*e.args[0]);
        TypeKind k = e.args[0]->type.kind;
        if (k == TypeKind::Kstack || k == TypeKind::Ustack) {
          info_->stack_len = true;
          e.type = Type::integer(8, true);
          return;
        }
        if (k == TypeKind::None) return;
      }
      check_map_arg(*e.args[0], fn);
      keyed_map(*e.args[0], fn);
      e.type = Type::integer(8, true);
      return;
    }
    if (fn == "bswap") {
      if (!arity(e, 1, 1)) return;
      check_expr(*e.args[0]);
      const Type &t = e.args[0]->type;
      if (!t.is_none() && !t.is_int()) error(DiagKind::Type, e.args[0]->range, "bswap() needs an integer");
      e.type = Type::integer(t.size ? t.size : 8, false);
      return;
    }
    if (fn == "ksym" || fn == "usym") {
      // usym(addr) carries the pid with the address (16 bytes) so the runtime can symbolize it.
      if (!arity(e, 1, 1)) return;
      check_expr(*e.args[0]);
      const Type &t = e.args[0]->type;
      if (!t.is_none() && !t.is_int() && t.kind != TypeKind::Pointer)
        error(DiagKind::Type, e.args[0]->range, fn + "() needs an address, not " + to_string(t));
      e.type.kind = fn == "ksym" ? TypeKind::Ksym : TypeKind::Usym;
      e.type.size = fn == "ksym" ? 8 : 16;
      return;
    }
    if (fn == "signal") {
      if (!arity(e, 1, 1)) return;
      Expr &a = *e.args[0];
      if (a.kind == ExprKind::String) {
        static const std::pair<const char *, int> kSignals[] = {
            {"SIGHUP", 1},  {"SIGINT", 2},   {"SIGQUIT", 3},  {"SIGILL", 4},   {"SIGTRAP", 5},  {"SIGABRT", 6},
            {"SIGBUS", 7},  {"SIGFPE", 8},   {"SIGKILL", 9},  {"SIGUSR1", 10}, {"SIGSEGV", 11}, {"SIGUSR2", 12},
            {"SIGPIPE", 13}, {"SIGALRM", 14}, {"SIGTERM", 15}, {"SIGCHLD", 17}, {"SIGCONT", 18}, {"SIGSTOP", 19}};
        int num = 0;
        for (const auto &[name, n] : kSignals)
          if (a.sval == name || a.sval == std::string(name).substr(3)) num = n;
        if (!num) {
          error(DiagKind::Name, a.range, "unknown signal '" + a.sval + "'");
          return;
        }
        a.kind = ExprKind::Int;  // resolved here: the emitter sees a number
        a.ival = num;
        a.uval = static_cast<uint64_t>(num);
      }
      check_expr(a);
      if (!a.type.is_none() && !a.type.is_int()) error(DiagKind::Type, a.range, "signal() needs a signal name or number");
      return void_only();
    }
    if (fn == "override") {
      if (!arity(e, 1, 1)) return;
      if (cur_->kind != ProbeKind::Kprobe) {
        error(DiagKind::Semantic, e.range, "override() can only be used in kprobe probes");
        return;
      }
      cur_->uses_regs = true;
      check_expr(*e.args[0]);
      return void_only();
    }
    if (fn == "delete") {
      if (!arity(e, 1, 2)) return;
      Expr &m = *e.args[0];
      if (m.kind != ExprKind::Map) {
        error(DiagKind::Semantic, m.range, "delete() expects a map element, e.g. delete(@x[key])");
        return;
      }
      if (e.args.size() == 2) {  // delete(@m, key): normalise to delete(@m[key])
        if (!m.args.empty()) {
          error(DiagKind::Semantic, m.range, "delete(@m, key) takes the map without a key");
          return;
        }
        m.args.push_back(std::move(e.args[1]));
        e.args.pop_back();
      }
      check_map_read_for_delete(m);
      e.type = Type::integer(8, true);
      return;
    }
    if (fn == "str") {
      if (!arity(e, 1, 2)) return;
      Expr &a = *e.args[0];
      uint32_t size = str_size_;
      if (e.args.size() == 2) {  // the length counts the NUL; a run-time length is applied when reading
        if (!check_int_arg(*e.args[1], fn)) return;
        auto n = literal_int(*e.args[1]);
        if (n && *n < 1) {
          error(DiagKind::Semantic, e.args[1]->range, "str() length must be at least 1");
          return;
        }
        if (n) size = static_cast<uint32_t>(std::min<int64_t>(*n, size));
      }
      if (a.kind == ExprKind::Positional) {
        check_expr(a);
        e.type = Type::string(BTC_PARAM_STR_SIZE);
        return;
      }
      check_expr(a);
      if (a.type.is_none()) return;
      if (a.type.is_string()) {
        e.type = Type::string(std::min(size, a.type.size));
      } else if (a.type.is_int() || a.type.kind == TypeKind::Pointer) {
        e.type = Type::string(size);
      } else {
        error(DiagKind::Type, a.range, "str() needs a pointer, an integer address or a string, not " +
                                           to_string(a.type));
      }
      return;
    }
    static const std::vector<std::string> known = {
        "printf", "warnf",    "errorf",  "exit",        "print",       "clear", "zero",   "delete",
        "str",    "count",    "sum",     "min",         "max",         "avg",   "stats",  "hist",
        "lhist",  "strlen",   "strncmp", "strcontains", "has_key",     "len",   "bswap",  "ksym",
        "signal", "override", "getopt",  "time",        "strftime",    "usym",  "reg",    "strerror",
        "buf",    "ntop",     "pton",    "macaddr",     "cgroup_path", "join",  "system", "cat",
        "nsecs",  "kaddr",    "uaddr",   "debugf",      "strstr",      "pid",   "tid"};
    std::string hint = closest_match(fn, known);
    error(DiagKind::Name, e.range, "unknown function '" + fn + "'" + (hint.empty() ? "" : ", did you mean " + hint + "?"));
  }

  // Builtins that may be called with no arguments, as in bpftrace's standard library.
  static bool is_builtin_call(const Expr &e) {
    static const std::set<std::string> kCallable = {
        "pid",      "tid",   "uid",      "gid",       "nsecs",  "elapsed",     "cpu",       "comm",  "probe",
        "func",     "rand",  "cgroup",   "jiffies",   "cpid",   "curtask",     "ppid",      "ncpus", "numaid",
        "username", "pcomm", "usermode", "probetype", "retval", "leader_comm", "leader_tid"};
    if (!e.args.empty()) return false;
    std::string n = e.name.rfind("__builtin_", 0) == 0 ? e.name.substr(10) : e.name;
    return kCallable.count(n) > 0;
  }

  // pid(curr_ns|init), tid(curr_ns|init): e.ival = 1 for the initial pid namespace.
  void check_pid_namespace(Expr &e) {
    const Expr &a = *e.args[0];
    if (a.kind != ExprKind::Builtin || (a.name != "curr_ns" && a.name != "init")) {
      error(DiagKind::Semantic, a.range, e.name + "() takes curr_ns or init");
      return;
    }
    e.ival = a.name == "init";
    e.args.clear();
    e.kind = ExprKind::Builtin;
    e.type = Type::integer(4, false);
  }

  // nsecs(boot|monotonic|tai|sw_tai): e.ival = the clock (enum NsecsClock of the emitter).
  void check_nsecs(Expr &e) {
    if (!arity(e, 0, 1)) return;
    static const char *const kClocks[] = {"boot", "monotonic", "tai", "sw_tai"};
    if (!e.args.empty()) {
      const Expr &a = *e.args[0];
      int64_t clock = -1;
      for (int i = 0; i < 4; i++)
        if (a.kind == ExprKind::Builtin && a.name == kClocks[i]) clock = i;
      if (clock < 0) {
        error(DiagKind::Semantic, a.range,
              "Invalid timestamp mode: " + (a.kind == ExprKind::Builtin ? a.name : std::string("<expression>")) +
                  " (boot, monotonic, tai, sw_tai)");
        return;
      }
      e.ival = clock;
    }
    e.type = Type::integer(8, false);
  }

  // kaddr("sym"): the kernel symbol's address, looked up in /proc/kallsyms by the tool before it
  // loads (so on the machine it runs on); e.ival = its slot in btc_params.ksym_addr.
  void check_kaddr(Expr &e) {
    if (!arity(e, 1, 1)) return;
    const Expr &a = *e.args[0];
    if (a.kind != ExprKind::String || a.sval.empty()) {
      error(DiagKind::Type, a.range, "kaddr() needs a kernel symbol name as a string literal");
      return;
    }
    auto &syms = info_->ksyms;
    auto it = std::find(syms.begin(), syms.end(), a.sval);
    if (it == syms.end()) {
      if (syms.size() >= BTC_MAX_KSYMS) {
        error(DiagKind::Semantic, e.range, "too many kaddr() symbols (at most " + std::to_string(BTC_MAX_KSYMS) + ")");
        return;
      }
      it = syms.insert(syms.end(), a.sval);
    }
    e.ival = it - syms.begin();
    e.type = Type::integer(8, false);
    e.type.addr_space = AddrSpace::Kernel;
  }

  // uaddr("sym"): the address of a symbol of the probed binary, read from its ELF symbol table at
  // build time (e.uval); a pointer to an unsigned integer of the symbol's size (else uint64), as in
  // bpftrace. A position-independent binary is loaded at an address known only at run time: refused.
  void check_uaddr(Expr &e) {
    if (!arity(e, 1, 1)) return;
    const Expr &a = *e.args[0];
    if (a.kind != ExprKind::String || a.sval.empty()) {
      error(DiagKind::Type, a.range, "uaddr() needs a symbol name as a string literal");
      return;
    }
    ProbeKind k = cur_->kind;
    if (k != ProbeKind::Uprobe && k != ProbeKind::Uretprobe && k != ProbeKind::Usdt) {
      error(DiagKind::Semantic, e.range, "uaddr() can only be used in uprobe, uretprobe and usdt probes");
      return;
    }
    std::string path = resolve_binary_path(cur_->target), err;
    if (path.empty()) {
      error(DiagKind::Semantic, e.range, "uaddr(): binary '" + cur_->target + "' not found on this machine");
      return;
    }
    auto sym = elf_symbol(path, a.sval, &err);
    if (!sym) {
      error(DiagKind::Semantic, a.range, "uaddr(): " + err);
      return;
    }
    if (sym->pie) {
      error(DiagKind::Semantic, e.range,
            "uaddr(): " + path + " is position-independent (PIE or a library); " +
                "btc resolves uaddr() only in binaries loaded at a fixed address");
      return;
    }
    uint32_t size = sym->size == 1 || sym->size == 2 || sym->size == 4 ? static_cast<uint32_t>(sym->size) : 8;
    e.uval = sym->address;
    e.type.kind = TypeKind::Pointer;
    e.type.size = 8;
    e.type.inner = {Type::integer(size, false)};
    e.type.addr_space = AddrSpace::User;
  }

  // debugf(fmt, ...): bpf_trace_printk to the kernel's trace buffer; integers and strings only.
  void check_debugf(Expr &e, bool statement) {
    if (!statement) {
      error(DiagKind::Semantic, e.range, "debugf() does not return a value");
      return;
    }
    e.type = Type::void_();
    if (e.args.empty() || e.args[0]->kind != ExprKind::String) {
      error(DiagKind::Semantic, e.range, "debugf() needs a format string literal as its first argument");
      return;
    }
    if (e.args.size() > 13) {
      error(DiagKind::Semantic, e.range, "debugf() takes at most 12 arguments after the format");
      return;
    }
    std::vector<Type> args;
    for (size_t i = 1; i < e.args.size(); i++) {
      check_expr(*e.args[i]);
      const Type &t = e.args[i]->type;
      if (t.is_none()) return;
      if (!t.is_int() && !t.is_string() && t.kind != TypeKind::Pointer) {
        error(DiagKind::Type, e.args[i]->range, "debugf() prints integers and strings, not " + to_string(t));
        return;
      }
      args.push_back(t);
    }
    std::string err;
    size_t bad_arg = 0;
    if (!check_format(e.args[0]->sval, args, &err, &bad_arg))
      error(DiagKind::Type, bad_arg ? e.args[bad_arg]->range : e.args[0]->range, err);
  }

  // ---- functions whose values the runtime formats (buf, ntop, pton, macaddr, cgroup_path, join) ----
  static bool is_pton(const Expr &e) { return e.kind == ExprKind::Call && e.name == "pton"; }

  // pton()'s byte array is a compile-time constant that cannot be stored yet.
  bool refuse_pton_value(const Expr &e) {
    if (!is_pton(e)) return false;
    error(DiagKind::Type, e.range, "a pton() value can only be passed to ntop() or buf(), or cast to an integer");
    return true;
  }

  // buf(p, n) / buf(array): up to n bytes (n capped at max_strlen) read from address p, or taken
  // from a string or array value. Stored as a u64 length and then the bytes.
  void check_buf(Expr &e) {
    if (!arity(e, 1, 2)) return;
    Expr &a = *e.args[0];
    check_expr(a);
    if (a.type.is_none()) return;
    bool array = a.type.kind == TypeKind::Array || is_pton(a);
    if (!a.type.is_int() && a.type.kind != TypeKind::Pointer && !a.type.is_string() && !array) {
      error(DiagKind::Type, a.range,
            "buf() expects an integer, string, or array argument but saw " + to_string(a.type));
      return;
    }
    uint32_t capacity = str_size_;
    if (e.args.size() == 1) {
      if (!array) {
        error(DiagKind::Type, e.range, "buf() expects a length argument for non-array type " + to_string(a.type));
        return;
      }
      capacity = a.type.size;
    } else {
      Expr &n = *e.args[1];
      check_expr(n);
      if (n.type.is_none()) return;
      if (!n.type.is_int()) {
        error(DiagKind::Type, n.range, "buf() length must be an integer, not " + to_string(n.type));
        return;
      }
      bool negative = n.kind == ExprKind::Unary && n.op == "-" && n.args[0]->kind == ExprKind::Int;
      if (negative || (n.kind == ExprKind::Int && n.ival < 0)) {
        error(DiagKind::Semantic, n.range, "buf() cannot use a negative length");
        return;
      }
      if (n.kind == ExprKind::Int) capacity = static_cast<uint32_t>(std::min<int64_t>(n.ival, str_size_));
      if ((a.type.is_string() || array) && capacity > a.type.size) capacity = a.type.size;
    }
    e.type.kind = TypeKind::Buffer;
    e.type.size = 8 + capacity;
  }

  // ntop([af, ] addr): an IPv4 address from an integer or 4 bytes, IPv6 from 16 bytes.
  void check_ntop(Expr &e) {
    if (!arity(e, 1, 2)) return;
    for (auto &a : e.args) check_expr(*a);
    for (auto &a : e.args)
      if (a->type.is_none()) return;
    if (e.args.size() == 2 && !e.args[0]->type.is_int()) {
      error(DiagKind::Type, e.args[0]->range,
            "ntop() address family must be an integer, not " + to_string(e.args[0]->type));
      return;
    }
    const Expr &addr = *e.args.back();
    const Type &t = addr.type;
    bool bytes = t.is_string() || t.kind == TypeKind::Array;
    if (!t.is_int() && !bytes) {
      error(DiagKind::Type, addr.range, "ntop() expects an integer or array argument, got " + to_string(t));
      return;
    }
    if (bytes && t.size != 4 && t.size != 16) {
      error(DiagKind::Type, addr.range, "ntop() argument must be 4 or 16 bytes in size");
      return;
    }
    e.type.kind = TypeKind::Inet;
    e.type.size = 24;
  }

  // pton("addr"): the address bytes (network order), resolved here: uint8[4] or uint8[16].
  void check_pton(Expr &e) {
    if (!arity(e, 1, 1)) return;
    Expr &a = *e.args[0];
    if (a.kind != ExprKind::String) {
      error(DiagKind::Type, a.range, "pton() expects a string literal argument");
      return;
    }
    unsigned char bytes[16];
    bool v6 = a.sval.find(':') != std::string::npos;
    bool dotted = a.sval.find('.') != std::string::npos;
    if ((!v6 && !dotted) || inet_pton(v6 ? AF_INET6 : AF_INET, a.sval.c_str(), bytes) != 1) {
      error(DiagKind::Semantic, a.range, "pton() expects a valid IPv4 or IPv6 address, got \"" + a.sval + "\"");
      return;
    }
    e.type.kind = TypeKind::Array;
    e.type.count = v6 ? 16 : 4;
    e.type.size = e.type.count;
    e.type.inner = {Type::integer(1, false)};
  }

  // macaddr(p): 6 bytes read from address p or taken from an array of at least 6 bytes.
  void check_macaddr(Expr &e) {
    if (!arity(e, 1, 1)) return;
    Expr &a = *e.args[0];
    if (a.kind == ExprKind::String) {
      error(DiagKind::Type, a.range, "macaddr() does not support literal string arguments");
      return;
    }
    check_expr(a);
    if (a.type.is_none()) return;
    bool bytes = a.type.is_string() || a.type.kind == TypeKind::Array;
    if (!a.type.is_int() && a.type.kind != TypeKind::Pointer && !bytes) {
      error(DiagKind::Type, a.range,
            "macaddr() only supports array or pointer arguments (" + to_string(a.type) + " provided)");
      return;
    }
    if (bytes && a.type.size < 6) {
      error(DiagKind::Type, a.range, "macaddr() argument must be at least 6 bytes in size");
      return;
    }
    e.type.kind = TypeKind::MacAddr;
    e.type.size = 6;
  }

  // cgroup_path(id[, "filter"]): the runtime finds the cgroup's path in the mounted hierarchies
  // whose names match the filter (default "*").
  void check_cgroup_path(Expr &e) {
    if (!arity(e, 1, 2)) return;
    check_expr(*e.args[0]);
    const Type &t = e.args[0]->type;
    if (t.is_none()) return;
    if (!t.is_int()) {
      error(DiagKind::Type, e.args[0]->range, "cgroup_path() expects an integer cgroup id, not " + to_string(t));
      return;
    }
    if (e.args.size() == 2 && e.args[1]->kind != ExprKind::String) {
      error(DiagKind::Type, e.args[1]->range, "cgroup_path() filter must be a string literal");
      return;
    }
    e.type.kind = TypeKind::CgroupPath;
    e.type.size = 8;
    e.type.name = e.args.size() == 2 ? e.args[1]->sval : "*";
  }

  // join(argv[, sep]): the strings of a NULL-terminated array of user pointers, printed with sep
  // (default " ") between them; a printf-table entry of severity BTC_SEV_JOIN whose format is sep.
  void check_join(Expr &e, bool statement) {
    if (!arity(e, 1, 2)) return;
    check_expr(*e.args[0]);
    const Type &t = e.args[0]->type;
    if (t.is_none()) return;
    if (!t.is_int() && t.kind != TypeKind::Pointer) {
      error(DiagKind::Type, e.args[0]->range,
            "join() only supports int or pointer arguments (" + to_string(t) + " provided)");
      return;
    }
    if (e.args.size() == 2 && e.args[1]->kind != ExprKind::String) {
      error(DiagKind::Type, e.args[1]->range, "join() separator must be a string literal");
      return;
    }
    if (!statement) {
      error(DiagKind::Semantic, e.range, "join() does not return a value");
      return;
    }
    e.type = Type::void_();
    if (quiet_ || info_->printf_id.count(&e)) return;
    PrintfInfo pi;
    pi.fmt = e.args.size() == 2 ? e.args[1]->sval : " ";
    pi.severity = BTC_SEV_JOIN;
    pi.range = e.range;
    pi.args.assign(kJoinArgs, Type::string(kJoinArgSize));
    info_->printf_id[&e] = info_->printfs.size();
    info_->printfs.push_back(std::move(pi));
  }

  // time([fmt]): prints the current local time (when user space handles the event) with
  // strftime(3); a printf-table entry of severity BTC_SEV_TIME whose format is the time format.
  // print((a, b)): each element in one slot, shown as "(a, b)" (JSON: an array); a record as
  // "{ .a = 1, .b = 2 }" (JSON: an object).
  void check_print_tuple(Expr &e) {
    const Type &t = e.args[0]->type;
    e.type = Type::void_();
    if (quiet_ || info_->printf_id.count(&e)) return;
    PrintfInfo pi;
    bool named = !t.fields.empty();
    pi.fmt = named ? "{ " : "(";
    for (size_t i = 0; i < t.inner.size(); i++)
      pi.fmt += (i ? ", " : "") + (named ? "." + t.fields[i] + " = " : "") + "%s";
    pi.fmt += named ? " }\n" : ")\n";
    pi.arg_names = t.fields;
    pi.severity = BTC_SEV_PRINT;
    pi.args = t.inner;
    pi.range = e.range;
    info_->printf_id[&e] = info_->printfs.size();
    info_->printfs.push_back(std::move(pi));
  }

  void check_time(Expr &e, bool statement) {
    if (!arity(e, 0, 1)) return;
    if (!e.args.empty() && e.args[0]->kind != ExprKind::String) {
      error(DiagKind::Type, e.args[0]->range, "time() needs a format string literal, e.g. time(\"%H:%M:%S\\n\")");
      return;
    }
    if (!statement) {
      error(DiagKind::Semantic, e.range, "time() does not return a value");
      return;
    }
    e.type = Type::void_();
    if (quiet_ || info_->printf_id.count(&e)) return;
    PrintfInfo pi;
    pi.fmt = e.args.empty() ? "%H:%M:%S\n" : e.args[0]->sval;
    pi.severity = BTC_SEV_TIME;
    pi.range = e.range;
    info_->printf_id[&e] = info_->printfs.size();
    info_->printfs.push_back(std::move(pi));
  }

  // reg("ip"): an x86_64 register of the probe's struct pt_regs context; e.ival = its u64 slot.
  void check_reg(Expr &e) {
    static const char *const kRegs[] = {"r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10", "r9", "r8", "ax",
                                        "cx",  "dx",  "si",  "di",  "orig_ax", "ip", "cs", "flags", "sp", "ss"};
    if (!arity(e, 1, 1)) return;
    if (e.args[0]->kind != ExprKind::String) {
      error(DiagKind::Type, e.args[0]->range, "reg() needs a register name string literal, e.g. reg(\"ip\")");
      return;
    }
    ProbeKind k = cur_->kind;
    bool regs_ctx = k == ProbeKind::Kprobe || k == ProbeKind::Kretprobe || k == ProbeKind::Uprobe ||
                    k == ProbeKind::Uretprobe || k == ProbeKind::Usdt || k == ProbeKind::Profile ||
                    k == ProbeKind::Interval || k == ProbeKind::Software || k == ProbeKind::Hardware ||
                    k == ProbeKind::Watchpoint;
    if (!regs_ctx) {
      error(DiagKind::Semantic, e.range, "reg() can only be used in kprobe, uprobe, usdt and perf-event probes");
      return;
    }
    std::string name = e.args[0]->sval;  // bpftrace's names: "pc" is ip, "orig_rax" the orig_ax slot
    if (name == "pc") name = "ip";
    if (name == "orig_rax") name = "orig_ax";
    for (size_t i = 0; i < sizeof kRegs / sizeof kRegs[0]; i++) {
      if (name != kRegs[i]) continue;
      e.ival = static_cast<int64_t>(i);
      e.type = Type::integer(8, false);
      cur_->uses_regs = true;
      return;
    }
    error(DiagKind::Name, e.args[0]->range, "'" + e.args[0]->sval + "' is not a register name (ip, sp, ax, di, ...)");
  }

  // strftime(fmt, ns): a timestamp (ns since boot) that the runtime formats as local time.
  void check_strftime(Expr &e) {
    if (!arity(e, 2, 2)) return;
    if (e.args[0]->kind != ExprKind::String) {
      error(DiagKind::Type, e.args[0]->range, "strftime() needs a format string literal as its first argument");
      return;
    }
    Expr &ns = *e.args[1];
    check_expr(ns);
    if (ns.type.is_none()) return;
    if (!ns.type.is_int()) {
      error(DiagKind::Type, ns.range,
            "strftime() needs an integer timestamp in nanoseconds, not " + to_string(ns.type));
      return;
    }
    bool negative_literal = ns.kind == ExprKind::Unary && ns.op == "-" && ns.args[0]->kind == ExprKind::Int;
    if (negative_literal || (ns.kind == ExprKind::Int && ns.ival < 0)) {
      error(DiagKind::Semantic, ns.range, "strftime() timestamp must be non-negative");
      return;
    }
    e.type.kind = TypeKind::Timestamp;
    e.type.size = 8;
    e.type.name = e.args[0]->sval;
  }

  // `#define NAME <integer>` in the script's preamble, else an enumerator from kernel BTF.
  std::optional<int64_t> constant_named(const std::string &name) {
    if (auto e = info_->script_types.enumerator(name)) return e->value;
    for (const auto &def : prog_.c_definitions) {
      std::istringstream in(def);
      std::string hash, directive, id, value;
      if (!(in >> directive) || directive != "#define" || !(in >> id) || id != name) continue;
      std::getline(in, value);
      value.erase(std::remove_if(value.begin(), value.end(), [](char c) { return c == '(' || c == ')' || isspace(static_cast<unsigned char>(c)); }),
                  value.end());
      while (!value.empty() && (value.back() == 'U' || value.back() == 'L' || value.back() == 'u' || value.back() == 'l'))
        value.pop_back();
      bool neg = !value.empty() && value[0] == '-';
      char *end = nullptr;
      unsigned long long v = std::strtoull(value.c_str() + (neg ? 1 : 0), &end, 0);
      if (value.empty() || !end || *end) return std::nullopt;
      return neg ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
    }
    if (btf_) return btf_->enum_value(name);
    return std::nullopt;
  }

  Type stack_type(bool kernel, uint32_t mode, uint32_t limit) {
    info_->uses_stacks = true;
    Type t;
    t.kind = kernel ? TypeKind::Kstack : TypeKind::Ustack;
    t.size = kernel ? 8 : 16;
    t.count = limit;
    t.hist_bits = mode;
    return t;
  }

  // getopt("name"[, default]): a named parameter of the tool (--name=value). The default's type
  // decides the parameter's: none -> bool flag, integer -> int64, string -> string.
  void check_getopt(Expr &e) {
    if (!arity(e, 1, 3)) return;
    if (e.args[0]->kind != ExprKind::String || e.args[0]->sval.empty()) {
      error(DiagKind::Semantic, e.args[0]->range, "getopt() needs the parameter name as a string literal");
      return;
    }
    ProgramInfo::NamedParam p;
    p.name = e.args[0]->sval;
    p.type = Type::boolean();
    p.default_value = "false";
    if (e.args.size() >= 2) {
      Expr &d = *e.args[1];
      if (d.kind == ExprKind::String) {
        p.type = Type::string(BTC_PARAM_STR_SIZE);
        p.default_value = d.sval;
      } else if (d.kind == ExprKind::Bool) {
        p.default_value = d.ival ? "true" : "false";
      } else if (auto v = const_int(d)) {
        p.type = Type::integer(8, *v < 0);  // as bpftrace: a negative default makes it signed
        p.default_value = std::to_string(*v);
      } else {
        return;
      }
    }
    if (e.args.size() == 3) {  // getopt(name, default, "description shown by --help")
      if (e.args[2]->kind != ExprKind::String) {
        error(DiagKind::Semantic, e.args[2]->range, "getopt() needs the description as a string literal");
        return;
      }
      p.description = e.args[2]->sval;
    }
    auto &params = info_->named_params;
    size_t i = 0;
    while (i < params.size() && params[i].name != p.name) i++;
    if (i == params.size()) {
      if (params.size() >= BTC_MAX_PARAMS) {
        error(DiagKind::Semantic, e.range, "too many getopt() parameters (at most " + std::to_string(BTC_MAX_PARAMS) + ")");
        return;
      }
      params.push_back(p);
    } else if (params[i].type.kind != p.type.kind || params[i].default_value != p.default_value) {
      error(DiagKind::Type, e.range, "getopt(\"" + p.name + "\") is used with different defaults");
      return;
    }
    if (params[i].description.empty()) params[i].description = p.description;
    e.ival = static_cast<int64_t>(i);  // slot, read by the emitter
    e.type = p.type;
  }

  void check_map_read_for_delete(Expr &m) {
    auto it = maps_.find(m.name);
    if (it == maps_.end()) {
      error(DiagKind::Name, m.range, "undefined map " + m.name);
      return;
    }
    std::vector<Type> keys = key_types(m);
    check_keys(m, it->second, keys);
    m.type = it->second.value;
  }

  void finish_maps() {
    for (const auto &d : prog_.map_decls) {  // let @m = hash(N) / lruhash(N) / percpuhash(N)
      if (d.map_type != "hash" && d.map_type != "lruhash" && d.map_type != "percpuhash" &&
          d.map_type != "percpulruhash") {
        error(DiagKind::Semantic, d.range, "unknown map type '" + d.map_type + "' (hash, lruhash, percpuhash)");
        continue;
      }
      if (d.max_entries < 1) {
        error(DiagKind::Semantic, d.range, "map size must be at least 1");
        continue;
      }
      auto it = maps_.find(d.name);
      if (it == maps_.end()) {
        diags_.warning(DiagKind::Semantic, d.range, "map " + d.name + " is declared but never used");
        continue;
      }
      it->second.max_entries = static_cast<uint32_t>(d.max_entries);
      it->second.lru = d.map_type.find("lru") != std::string::npos;
    }
    for (auto &[name, mi] : maps_) {
      mi.c_name = name == "@" ? "m__anon" : "m_" + name.substr(1);
      info_->map_index[name] = info_->maps.size();
      info_->maps.push_back(mi);
    }
  }

  ast::Program &prog_;
  const KernelBtf *btf_;
  Diagnostics &diags_;
  ProgramInfo *info_;
  bool quiet_ = false;
  uint32_t str_size_ = kStrSize;
  bool failed_ = false;
  int loop_depth_ = 0;
  ProbeTarget *cur_ = nullptr;
  std::map<std::string, std::unique_ptr<DwarfTypes>> dwarf_;  // uprobe binary -> its debug info
  std::map<std::string, std::string> dwarf_errors_;           // why a binary has none
  std::map<std::string, Type> vars_;
  std::set<std::string> loop_vars_;  // variables of map loops in scope (read-only)
  std::map<std::string, MapInfo> maps_;

};

}  // namespace

bool check_program(ast::Program &program, const KernelBtf *btf, Diagnostics &diags, ProgramInfo *info) {
  return Checker(program, btf, diags, info).run();
}

}  // namespace btc
