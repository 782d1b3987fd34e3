// Loops whose bodies become callbacks: for over maps (bpf_for_each_map_elem) and ranges (bpf_loop).
#include "ast/ast_walk.h"
#include "emit/bpf_emitter_impl.h"

namespace btc::bpf_emitter_internal {

// for ($kv : @m) { body } becomes bpf_for_each_map_elem(&m, btc_loop_N, &context, 0) and
// for ($i : a..b) { body } becomes bpf_loop(b - a, btc_loop_N, &context, 0), with the body in
// the callback btc_loop_N (as bpftrace does; the verifier checks the body once). The context
// holds the probe's ctx, a pointer to the probe's "returned" flag, the range start and a
// pointer to every $variable in scope, so the body reads and writes them in place.
// Looks inside expressions too: a macro's block expression may hold a for loop.
bool BpfEmitter::has_callback_loop(const ast::Probe &probe) {
  bool found = false;
  ast::Visitor find_for;
  find_for.stmt = [&](const Stmt &s) {
    found = found || s.kind == StmtKind::For;
    return found ? ast::Walk::SkipChildren : ast::Walk::Children;
  };
  ast::walk(probe, find_for);
  return found;
}

// A declaration of a pointer to a variable of type t: "__s64 *f", "char (*f)[16]", "struct T *f".
std::string BpfEmitter::pointer_decl(const Type &t, const std::string &f) {
  if (t.is_string()) return "char (*" + f + ")[" + std::to_string(round8(t.size)) + "]";
  if (t.kind == TypeKind::Tuple) return tuples_.name(t) + " *" + f;
  return int_ctype(t) + " *" + f;
}

void BpfEmitter::emit_callback_loop(const Stmt &s) {
  bool over_map = s.iter != nullptr;
  std::string start, end;  // a range's bounds, evaluated once before the loop
  if (!over_map) {
    start = tmp("start");
    line("__s64 " + start + " = " + int_expr(*s.range_begin) + ";");
    end = tmp("end");
    line("__s64 " + end + " = " + int_expr(*s.range_end) + ";");
  }
  std::string id = std::to_string(loop_id_++);
  std::string ctx_struct = "struct btc_loopctx_" + id, callback = "btc_loop_" + id;

  // The context: its members and, in the caller, what they point at.
  std::string members;
  std::vector<std::pair<std::string, std::string>> inits;
  static const std::map<std::string, Type> kNoVars;
  auto vit = info_.var_types.find(cur_->probe);
  for (const auto &[name, t] : vit == info_.var_types.end() ? kNoVars : vit->second) {
    if (loop_vars_.count(name)) continue;
    members += "  " + pointer_decl(t, "p_" + name.substr(1)) + ";\n";
    inits.push_back({"p_" + name.substr(1), "&" + var_lv(name)});
  }
  for (const auto &[name, v] : loop_vars_) {
    members += "  " + pointer_decl(v.type, "l_" + name.substr(1)) + ";\n";
    inits.push_back({"l_" + name.substr(1), "&" + v.lv});
  }
  std::string returned = callback_depth_ ? "btc_c->returned" : "&btc_returned";
  out_ << ctx_struct << " {\n  void *ctx;\n  __u8 *returned;\n  __s64 start;\n" << members << "};\n";

  // The callback, written to out_ before the function that calls it.
  std::ostringstream caller_body;
  caller_body.swap(body_);
  int caller_indent = indent_;
  auto caller_loop_vars = loop_vars_;
  auto caller_reuse = std::move(reuse_);  // the caller's C variables do not exist in the callback
  auto caller_scopes = scopes_;
  reuse_.clear();
  scopes_ = {next_scope_++};
  indent_ = 1;
  for (auto &[name, v] : loop_vars_) v.lv = "(*btc_c->l_" + name.substr(1) + ")";
  callback_depth_++;
  loops_.push_back(false);
  line(ctx_struct + " *btc_c = btc_ctx_;");
  line(ctx_type_ + "ctx = btc_c->ctx;");
  line("(void)ctx;");
  std::string var = "btc_var" + id;
  if (over_map) {
    const MapInfo &m = info_.map(s.iter->name);
    const Type &kv = info_.loop_var_types.at(&s);
    var = struct_temp("var", tuples_.name(kv), kv.size, true);
    fill_loop_key(m, kv.inner[0], var + ".e0");
    fill_loop_value(m, kv.inner[1], var + ".e1");
    loop_vars_[s.name] = {var, kv};
  } else {
    line("__s64 " + var + " = btc_c->start + (__s64)btc_index_;");
    loop_vars_[s.name] = {var, Type::integer(8, true)};
  }
  emit_block(s.body);
  line("return 0;");
  loops_.pop_back();
  callback_depth_--;
  out_ << "static long " << callback
       << (over_map ? "(void *btc_map_, void *btc_key_, void *btc_val_, void *btc_ctx_) {\n"
                    : "(__u64 btc_index_, void *btc_ctx_) {\n")
       << body_.str() << "}\n";
  reset_line();
  body_.swap(caller_body);
  indent_ = caller_indent;
  loop_vars_ = caller_loop_vars;
  reuse_ = std::move(caller_reuse);
  scopes_ = caller_scopes;

  // The call.
  open_scope("");
  std::string c = tmp("lc");
  line(ctx_struct + " " + c + ";");
  line("__builtin_memset(&" + c + ", 0, sizeof(" + c + "));");
  line(c + ".ctx = (void *)ctx;");
  line(c + ".returned = " + returned + ";");
  for (const auto &[f, v] : inits) line(c + "." + f + " = " + v + ";");
  if (over_map) {
    line("bpf_for_each_map_elem(&" + info_.map(s.iter->name).c_name + ", " + callback + ", &" + c + ", 0);");
  } else {  // bpf_loop runs at most 1 << 23 times (more: not at all), as in bpftrace
    line(c + ".start = " + start + ";");
    line("if (" + end + " > " + start + ") bpf_loop((__u32)(" + end + " - " + start + "), " + callback + ", &" + c +
         ", 0);");
  }
  line(callback_depth_ ? "if (*btc_c->returned) return 1;" : "if (btc_returned) return 0;");
  close_scope();
}

// $kv.0 from the map's key (btc_key_): one key, or a tuple of the keys.
void BpfEmitter::fill_loop_key(const MapInfo &m, const Type &t, const std::string &dst) {
  line("const struct " + m.c_name + "_key *btc_k = btc_key_;");
  auto key = [&](size_t i) {
    Type kt = m.keys[i];
    if (kt.stored_as_bytes()) kt.size = round8(kt.size);
    return Val{nullptr, "btc_k->k" + std::to_string(i), kt};
  };
  if (m.keys.size() == 1) return store(dst, t, key(0));
  for (size_t i = 0; i < m.keys.size(); i++) store(dst + ".e" + std::to_string(i), t.inner[i], key(i));
}

// $kv.1 from the map's value (btc_val_); per-CPU aggregates are combined over all CPUs.
void BpfEmitter::fill_loop_value(const MapInfo &m, const Type &t, const std::string &dst) {
  if (map_is_percpu(m)) {
    line(dst + " = " + percpu_value(m, "btc_key_") + ";");
    return;
  }
  line(map_value_ctype(m) + " *btc_v = btc_val_;");
  if (m.value.is_string()) {
    copy_string(dst, t.size, {"btc_v->s", round8(m.value.size)}, true);
    return;
  }
  store(dst, t, Val{nullptr, holds_user_address(m.value) ? "(btc_v->v[0])" : "(*btc_v)", m.value});
}

}  // namespace btc::bpf_emitter_internal
