// Statements, scopes, variables and assignments; reuse of keys and map reads within a probe.
#include "emit/bpf_emitter_impl.h"

namespace btc::bpf_emitter_internal {

namespace {

// Integer value v as a variable of type t holds it: truncated to t's width and extended by t's sign
// (the variables are 64-bit in C; a narrower type, e.g. `let $x: uint16`, keeps only its bits).
std::string as_var_int(const Type &t, const std::string &v) {
  if (t.kind != TypeKind::Int || t.size >= 8) return v;
  return "((" + int_ctype(t) + ")(" + (t.is_signed ? "__s" : "__u") + std::to_string(t.size * 8) + ")(" + v + "))";
}

}  // namespace

void BpfEmitter::line_directive(int l) {
  if (l > 0) body_ << "#line " << l << " \"" << script_ << "\"\n";
  if (l > 0) cur_line_ = l;
}

// $x -> v_x; a macro's renamed variable $$inc_x -> m_inc_x (cannot collide with a script's).
std::string BpfEmitter::var_name(const std::string &n) {
  return n.starts_with("$$") ? "m_" + n.substr(2) : "v_" + n.substr(1);
}

// The C lvalue of $variable n here: a local of the probe, a map-loop variable, or (inside a
// loop callback) the probe's variable reached through the callback's context.
std::string BpfEmitter::var_lv(const std::string &n) const {
  auto it = loop_vars_.find(n);
  if (it != loop_vars_.end()) return it->second.lv;
  if (callback_depth_) return "(*btc_c->p_" + n.substr(1) + ")";
  auto slot = big_vars_.find(n);
  return slot != big_vars_.end() ? slot->second : var_name(n);
}

// Whether $variable n has a type (a `let $n;` that is never assigned has none).
bool BpfEmitter::declared(const std::string &n) const {
  auto vit = info_.var_types.find(cur_->probe);
  return loop_vars_.count(n) || (vit != info_.var_types.end() && vit->second.count(n));
}

// The type of $variable n as stored (strings at their 8-byte-rounded size).
Type BpfEmitter::var_type(const std::string &n) const {
  auto it = loop_vars_.find(n);
  if (it != loop_vars_.end()) return it->second.type;
  Type t = info_.var_types.at(cur_->probe).at(n);
  if (t.is_string()) t.size = round8(t.size);
  return t;
}

void BpfEmitter::emit_block(const std::vector<ast::StmtPtr> &body) {
  for (const auto &s : body) emit_stmt(*s);
}

void BpfEmitter::open_scope(const std::string &head) {
  line(head + " {");
  indent_++;
  scopes_.push_back(next_scope_++);
}

void BpfEmitter::close_scope(const std::string &tail) {
  indent_--;
  line(tail);
  scopes_.pop_back();
}

void BpfEmitter::else_scope() {
  indent_--;
  line("} else {");
  indent_++;
  scopes_.back() = next_scope_++;
}

bool BpfEmitter::stable_key(const Expr &e) {
  switch (e.kind) {
    case ExprKind::Int:
    case ExprKind::Bool:
    case ExprKind::String:
    case ExprKind::Positional:
    case ExprKind::ParamCount:
      return true;
    case ExprKind::Builtin:
      return e.name == "pid" || e.name == "tid" || e.name == "uid" || e.name == "gid" || e.name == "comm" ||
             e.name == "cgroup";
    case ExprKind::Unary:
      if (e.op == "*") return false;
      [[fallthrough]];
    case ExprKind::Binary:
    case ExprKind::Cast:
    case ExprKind::Tuple:
      return std::all_of(e.args.begin(), e.args.end(), [](const ast::ExprPtr &a) { return stable_key(*a); });
    default:
      return false;
  }
}

std::string BpfEmitter::reuse_id(const Expr &m) {
  std::string id = m.name;
  for (const auto &a : m.args) {
    if (!stable_key(*a)) return "";
    id += "|" + ast::dump(*a);
  }
  return id;
}

const BpfEmitter::Reuse *BpfEmitter::find_reuse(const std::string &id, bool is_read) const {
  if (id.empty()) return nullptr;
  for (auto it = reuse_.rbegin(); it != reuse_.rend(); ++it)
    if (it->id == id && it->is_read == is_read && std::count(scopes_.begin(), scopes_.end(), it->scope)) return &*it;
  return nullptr;
}

// map "" forgets every read.
void BpfEmitter::forget_reads(const std::string &map) {
  std::erase_if(reuse_, [&](const Reuse &r) { return r.is_read && (map.empty() || r.map == map); });
}

// Whether an expression handles a whole struct or array value somewhere (such values can be
// large: their statements get a C scope of their own so that clang reuses the stack space).
bool BpfEmitter::moves_composite(const Expr &e) {
  if (e.type.is_composite()) return true;
  return std::any_of(e.args.begin(), e.args.end(), [](const ast::ExprPtr &a) { return a && moves_composite(*a); });
}

void BpfEmitter::emit_stmt(const Stmt &s) {
  line_directive(s.range.begin.line);
  bool simple = s.kind == StmtKind::Expr || s.kind == StmtKind::Assign || s.kind == StmtKind::Let;
  if (simple && ((s.expr && moves_composite(*s.expr)) || (s.lhs && moves_composite(*s.lhs)))) {
    open_scope("");
    emit_stmt_body(s);
    close_scope();
    return;
  }
  emit_stmt_body(s);
}

void BpfEmitter::emit_stmt_body(const Stmt &s) {
  switch (s.kind) {
    case StmtKind::Expr:
      emit_expr_stmt(*s.expr);
      break;
    case StmtKind::Assign:
      emit_assign(s);
      break;
    case StmtKind::Let:
      if (s.expr)
        assign_var(s.name, *s.expr);
      else if (declared(s.name))
        line(big(var_type(s.name).size)
                 ? mem_zero("&" + var_lv(s.name), var_type(s.name).size)
                 : "__builtin_memset(&" + var_lv(s.name) + ", 0, sizeof(" + var_lv(s.name) + "));");
      break;
    case StmtKind::If: {
      open_scope("");
      std::string c = int_expr(*s.expr);
      open_scope("if (" + c + ")");
      emit_block(s.body);
      if (s.has_else || !s.else_body.empty()) {
        else_scope();
        emit_block(s.else_body);
      }
      close_scope();
      close_scope();
      break;
    }
    case StmtKind::While: {
      forget_reads("");
      open_scope("while (1)");
      std::string c = int_expr(*s.expr);
      line("if (!(" + c + ")) break;");
      c_loop_body(s.body);
      close_scope();
      break;
    }
    case StmtKind::Unroll: {
      std::string i = tmp("i");
      forget_reads("");
      if (s.expr) {  // unroll ($N): a loop bounded by bpftrace's maximum of 100
        std::string n = tmp("n");
        line("__s64 " + n + " = (__s64)(" + int_expr(*s.expr) + ");");
        open_scope("for (int " + i + " = 0; " + i + " < 100 && " + i + " < " + n + "; " + i + "++)");
      } else {
        line("#pragma unroll");
        open_scope("for (int " + i + " = 0; " + i + " < " + std::to_string(s.count) + "; " + i + "++)");
      }
      c_loop_body(s.body);
      close_scope();
      break;
    }
    case StmtKind::Block:
      open_scope("");
      emit_block(s.body);
      close_scope();
      break;
    // In a loop callback, break and continue of the callback's own loop end the call.
    case StmtKind::Break:
      line(!loops_.empty() && !loops_.back() ? "return 1;" : "break;");
      break;
    case StmtKind::Continue:
      line(!loops_.empty() && !loops_.back() ? "return 0;" : "continue;");
      break;
    case StmtKind::Return:
      if (s.expr && !callback_depth_) {  // test:/bench: probes: the value decides (checked: only there)
        line("return (int)(" + int_expr(*s.expr) + ");");
        break;
      }
      line(callback_depth_ ? "*btc_c->returned = 1; return 1;" : "return 0;");
      break;
    case StmtKind::For:
      forget_reads("");
      emit_callback_loop(s);
      forget_reads("");
      break;
  }
}

void BpfEmitter::c_loop_body(const std::vector<ast::StmtPtr> &body) {
  loops_.push_back(true);
  emit_block(body);
  loops_.pop_back();
}

void BpfEmitter::emit_assign(const Stmt &s) {
  const Expr &lhs = *s.lhs;
  const Expr &rhs = *s.expr;
  if (lhs.kind == ExprKind::Var) {
    if (s.op == "=") return assign_var(lhs.name, rhs);
    std::string v = int_expr(rhs);
    std::string op = s.op.substr(0, s.op.size() - 1);
    if (lhs.type.kind == TypeKind::Pointer) v = "(__s64)(" + v + ") * " + std::to_string(pointee_size(lhs.type));
    line(var_lv(lhs.name) + " = " +
         as_var_int(var_type(lhs.name), binop_c(op, var_lv(lhs.name), v, lhs.type.is_signed)) + ";");
    return;
  }
  const MapInfo &m = info_.map(lhs.name);
  ForgetReadsAtExit forget{this, m.name};
  if (rhs.type.is_aggregate()) {  // @m = avg(x), or @m = { stmts; avg(x) }
    const Expr *call = &rhs;
    for (; call->kind == ExprKind::Block; call = call->args[0].get()) emit_block(call->body);
    return emit_aggregate(lhs, m, *call);
  }
  if (m.value.kind == TypeKind::Tuple) {
    std::string val = tuple_value(m.value, rhs);
    std::string k = build_key(lhs, nullptr);
    line(update(m, k, val));
    return;
  }
  if (m.value.stored_as_bytes()) {
    StrVal v = str_expr(rhs);
    uint32_t size = round8(m.value.size);
    std::string val = big(size) ? struct_temp("val", "struct " + m.c_name + "_val", size, false) : tmp("val");
    if (!big(size)) line("struct " + m.c_name + "_val " + val + " = {};");
    copy_value(val + ".s", size, v, m.value, big(size));
    std::string k = build_key(lhs, nullptr);
    line(update(m, k, val));
    return;
  }
  if (holds_user_address(m.value)) {  // @m = ustack / usym(..): with the pid that names its frames
    std::string val = tmp("val");
    line("struct " + m.c_name + "_val " + val + " = {};");
    store_slot(val + ".v", m.value, int_expr(rhs));
    std::string k = build_key(lhs, nullptr);
    line(update(m, k, val));
    return;
  }
  std::string v = tmp("val");
  std::string step =
      m.value.kind == TypeKind::Pointer && s.op != "=" ? " * " + std::to_string(pointee_size(m.value)) : "";
  line(int_ctype(m.value) + " " + v + " = " + int_expr(rhs) + step + ";");
  std::string k = build_key(lhs, nullptr);
  if (s.op == "=" && m.soft_delete) {
    line("BTC_LIVE_STORE(&" + m.c_name + ", " + map_id(m) + ", &" + k + ", " + v + ");");
    return;
  }
  if (s.op == "=") {
    line(update(m, k, v));
    return;
  }
  std::string op = s.op.substr(0, s.op.size() - 1);
  if (op == "+" || op == "-") {
    line("BTC_MAP_ATOMIC_ADD(&" + m.c_name + ", " + map_id(m) + ", &" + k + ", " + (op == "-" ? "-" : "") + v + ");");
    return;
  }
  std::string p = tmp("p");
  line(int_ctype(m.value) + " *" + p + " = bpf_map_lookup_elem(&" + m.c_name + ", &" + k + ");");
  line("if (" + p + ") { *" + p + " = " + binop_c(op, "*" + p, v, m.value.is_signed) + "; } else { " +
       int_ctype(m.value) + " btc_n_ = " + binop_c(op, "0", v, m.value.is_signed) + "; " + update(m, k, "btc_n_") +
       " }");
}

void BpfEmitter::assign_var(const std::string &name, const Expr &rhs) {
  Type vt = var_type(name);
  if (vt.kind == TypeKind::Tuple) {  // through a local: the value may read the variable itself
    std::string v = tuple_value(vt, rhs);
    line(copy_lvalue(var_lv(name), v, vt.size));
    return;
  }
  if (vt.stored_as_bytes()) {
    StrVal v = str_expr(rhs);
    copy_value(var_lv(name), round8(vt.size), v, vt, true);
  } else {
    line(var_lv(name) + " = " + as_var_int(vt, int_expr(rhs)) + ";");
  }
}

}  // namespace btc::bpf_emitter_internal
