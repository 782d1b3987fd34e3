// Checking probes, statements, variables and assignments.
#include "check/checker_impl.h"

namespace btc::checker_internal {

void Checker::check_probe(ProbeTarget &t) {
  cur_ = &t;
  vars_.clear();
  typed_vars_.clear();
  sized_vars_.clear();
  auto &probe = const_cast<ast::Probe &>(*t.probe);
  if (probe.predicate) {
    check_expr(*probe.predicate);
    if (!probe.predicate->type.is_none() && !truthy(probe.predicate->type))
      error(DiagKind::Type, probe.predicate->range,
            "predicate must be an integer or bool, not " + to_string(probe.predicate->type));
  }
  check_block(probe.body);
}

void Checker::check_block(std::vector<ast::StmtPtr> &body) {
  for (auto &s : body) check_stmt(*s);
}

void Checker::check_stmt(Stmt &s) {
  switch (s.kind) {
    case StmtKind::Expr:
      if (s.expr->kind == ExprKind::Call && kAggregates.count(s.expr->name)) {
        error(DiagKind::Semantic, s.expr->range,
              s.expr->name + "() must be assigned to a map, e.g. @x = " + s.expr->name + "(...)");
        return;
      }
      check_expr(*s.expr, /*statement=*/true);
      break;
    case StmtKind::Assign:
      check_assign(s);
      break;
    case StmtKind::Let:
      if (auto sized = declared_sized_var(s)) {
        if (s.expr) check_expr(*s.expr);
        if (!s.expr || !s.expr->type.is_none()) declare_sized_var(s, *sized);
      } else if (s.expr) {
        check_expr(*s.expr);
        if (refuse_pton_value(*s.expr)) break;
        if (s.expr->type.kind == TypeKind::Int) {  // let $x[: intN] = e: stored as bpftrace promotes
          auto t = s.decl_type.empty() ? std::nullopt : parse_type(s.decl_type, s.range);
          if (t && t->kind == TypeKind::Int) typed_vars_[s.name] = *t;
          if (!t || t->kind == TypeKind::Int) {
            store_var_int(s.name, *s.expr, s.range);
            break;
          }
        }
        declare_var(s.name, declared_string(s).value_or(s.expr->type), s.range);
      } else if (s.decl_typeof) {
        check_expr(*s.decl_typeof);  // only its type is used; it is never evaluated
        if (!s.decl_typeof->type.is_none()) declare_var(s.name, s.decl_typeof->type, s.range);
      } else if (!s.decl_type.empty()) {
        auto t = parse_type(s.decl_type, s.range);
        if (t) declare_var(s.name, *t, s.range);
        if (t && t->kind == TypeKind::Int) typed_vars_[s.name] = *t;
      } else if (auto t = assigned_type(s.name)) {
        declare_var(s.name, *t, s.range);  // `let $x;`: typed by its assignments (seen on the first pass)
      }  // never assigned: bpftrace only warns, and a read of it is an undefined variable
      break;
    case StmtKind::If:
    case StmtKind::While:
      if (prune_comptime_if(s)) break;
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
        error(DiagKind::Semantic, s.range,
              std::string(s.kind == StmtKind::Break ? "break" : "continue") + " outside of a loop");
      break;
    case StmtKind::Return:
      check_return(s);
      break;
    case StmtKind::For:
      check_for(s);
      break;
  }
}

// `let $s: string[N] = value;`: the variable holds N bytes (the value must fit).
std::optional<Type> Checker::declared_string(const Stmt &s) {
  if (s.decl_type.empty() || !s.expr->type.is_string()) return std::nullopt;
  auto t = parse_type(s.decl_type, s.range);
  if (!t || !t->is_string()) return std::nullopt;
  if (t->size < s.expr->type.size) {
    error(DiagKind::Type, s.range,
          "cannot assign a " + to_string(s.expr->type) + " to " + s.name + " of type " + s.decl_type);
    return std::nullopt;
  }
  return t;
}

// `return VALUE;` tells a test: or bench: probe's outcome (0: passed; a bench skips itself with
// 1). Other probes have no value to return (bpftrace ignores it): btc drops it, unevaluated.
void Checker::check_return(Stmt &s) {
  if (!s.expr) return;
  if (cur_->kind != ProbeKind::Test && cur_->kind != ProbeKind::Bench) {
    s.expr.reset();
    return;
  }
  if (for_depth_ > 0) {
    error(DiagKind::Semantic, s.range, "a test or bench probe cannot return a value from inside a for loop");
    return;
  }
  check_expr(*s.expr);
  if (!s.expr->type.is_none() && !s.expr->type.is_int())
    error(DiagKind::Type, s.expr->range, "a probe's return value must be an integer, not " + to_string(s.expr->type));
}

// for ($kv : @map) and for ($i : a..b). The loop variable exists only inside the body and may
// not shadow a variable of the probe (bpftrace refuses that too).
void Checker::check_for(Stmt &s) {
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
  for_depth_++;
  check_block(s.body);
  loop_depth_--;
  for_depth_--;
  loop_vars_.erase(s.name);
  if (saved)
    vars_[s.name] = *saved;
  else
    vars_.erase(s.name);
}

// The type of $kv in for ($kv : @m): (key, value), the key a tuple when the map has several.
// Per-CPU count/sum/min/max/avg values are read combined over all CPUs, as in bpftrace.
std::optional<Type> Checker::map_loop_type(Expr &m) {
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
    case TypeKind::Tseries:
      error(DiagKind::Type, m.range, "cannot iterate over " + m.name + ": its values are " + to_string(value));
      return std::nullopt;
    default:
      break;
  }
  Type key = mi.keys.size() == 1 ? mi.keys[0] : make_tuple(mi.keys);
  return make_tuple({key, value});
}

void Checker::declare_var(const std::string &name, const Type &value, SourceRange r) {
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
  if (t.kind == TypeKind::Tuple || t.is_string()) {  // it grows to hold every value assigned to it
    widen_type(it->second, t);
    note_var_type(name, it->second);
  } else {
    note_var_type(name, t);
  }
}

// The type recorded for $variable name in this probe by an earlier pass, if it was assigned.
std::optional<Type> Checker::assigned_type(const std::string &name) const {
  auto pit = info_->var_types.find(cur_->probe);
  if (pit == info_->var_types.end()) return std::nullopt;
  auto it = pit->second.find(name);
  if (it == pit->second.end()) return std::nullopt;
  return it->second;
}

// Variable types are recorded per probe for the emitter (a block may be checked several times).
void Checker::note_var_type(const std::string &name, const Type &t) {
  auto &m = info_->var_types[cur_->probe];
  auto it = m.find(name);
  if (it == m.end())
    m[name] = t;
  else if ((t.is_string() || t.kind == TypeKind::Tuple) && same_shape(it->second, t))
    widen_type(it->second, t);
  else if (t.stored_as_bytes() && it->second.kind == t.kind)
    it->second.size = std::max(it->second.size, t.size);
}

// `@m = { stmts; avg($x) }`: the aggregate call at the end of (nested) block expressions, after
// checking the blocks' statements; nullptr when the value is not an aggregate call.
Expr *Checker::aggregate_in_blocks(Expr &e) {
  Expr *v = &e;
  while (v->kind == ExprKind::Block && !v->args.empty()) v = v->args[0].get();
  if (v->kind != ExprKind::Call || !kAggregates.count(v->name)) return nullptr;
  for (Expr *b = &e; b->kind == ExprKind::Block; b = b->args[0].get()) {
    check_block(b->body);
    b->type = Type::aggregate(aggregate_kind(v->name));
  }
  return v;
}

void Checker::check_assign(Stmt &s) {
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
  uprobe_args_as_value(rhs);
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
      bool ptr_step =
          it->second.kind == TypeKind::Pointer && (s.op == "+=" || s.op == "-=") && pointee_size(it->second);
      if (!it->second.is_int() && !ptr_step) {
        error(DiagKind::Type, lhs.range, "operator " + s.op + " needs an integer, not " + to_string(it->second));
        return;
      }
      lhs.type = it->second;
      if (it->second.kind == TypeKind::Int && rhs.type.kind == TypeKind::Int) {
        // the 64-bit result of the operation: signed when an operand is (a literal takes the variable's sign)
        bool rhs_signed =
            literal_shape(rhs) && literal_shape(rhs)->flexible ? it->second.is_signed : rhs.type.is_signed;
        bool shift = s.op == "<<=" || s.op == ">>=";
        lhs.type = update_var_int(lhs.name, it->second.is_signed || (!shift && rhs_signed) || s.op == "-=", &rhs.range);
      }
      return;
    }
    auto held = vars_.find(lhs.name);
    if (rhs.type.kind == TypeKind::Int && (held == vars_.end() || held->second.kind == TypeKind::Int)) {
      lhs.type = store_var_int(lhs.name, rhs, s.range);
      return;
    }
    if (assign_sized_var(lhs, rhs, s.range)) return;
    declare_var(lhs.name, rhs.type, s.range);
    lhs.type = vars_.count(lhs.name) ? vars_[lhs.name] : rhs.type;
  } else if (lhs.kind == ExprKind::Map) {
    Type vt = rhs.type;
    if (vt.is_int() && vt.kind != TypeKind::Bool) vt = widened_int(vt);
    const Type *held = lookup_map_value(lhs);
    if ((s.op == "+=" || s.op == "-=") && held && held->kind == TypeKind::Pointer && pointee_size(*held))
      vt = *held;  // @p += n moves a pointer by n elements
    bool int_store = rhs.type.kind == TypeKind::Int && (!held || held->kind == TypeKind::Int);
    if (int_store && s.op == "=") {
      vt.is_signed = store_map_int(lhs.name, rhs, s.range).is_signed;
    } else if (int_store) {
      // bpftrace stores `@map op rhs`: 64-bit, signed as for variables (a literal takes the map's sign)
      bool held_signed = held ? held->is_signed : rhs.type.is_signed;
      bool rhs_signed = literal_shape(rhs) && literal_shape(rhs)->flexible ? held_signed : rhs.type.is_signed;
      bool shift = s.op == "<<=" || s.op == ">>=";
      vt.is_signed =
          update_map_int(lhs.name, held_signed || (!shift && rhs_signed) || s.op == "-=", &rhs.range).is_signed;
    }
    assign_map(lhs, vt, s.range);
    if (int_store && maps_.count(lhs.name) && maps_[lhs.name].value.kind == TypeKind::Int)
      maps_[lhs.name].value.is_signed = lhs.type.is_signed = vt.is_signed;
  } else {
    error(DiagKind::Semantic, lhs.range, "can only assign to a $variable or a @map");
  }
}

}  // namespace btc::checker_internal
