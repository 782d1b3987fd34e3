// Statements that produce output: printf and friends, print(), debugf; events for the runtime.
#include "emit/bpf_emitter_impl.h"

namespace btc::bpf_emitter_internal {

void BpfEmitter::emit_expr_stmt(const Expr &e) {
  if (e.kind == ExprKind::Block) {  // its statements, then its value as a statement
    emit_block(e.body);
    if (!e.args.empty()) emit_expr_stmt(*e.args[0]);
    return;
  }
  if (e.kind == ExprKind::Ternary && e.type.kind == TypeKind::Void) {  // `if c { a } else { b }`
    open_scope("if (" + int_expr(*e.args[0]) + ")");
    emit_expr_stmt(*e.args[1]);
    indent_--;
    line("} else {");
    indent_++;
    emit_expr_stmt(*e.args[2]);
    close_scope();
    return;
  }
  if (e.kind == ExprKind::Call) {
    const std::string &fn = e.name;
    // time([fmt]) is a printf entry without arguments (the format is the time format).
    if (fn == "printf" || fn == "warnf" || fn == "errorf" || fn == "time" || fn == "system" || fn == "cat")
      return emit_printf(e);
    if (fn == "debugf") return emit_debugf(e);
    if (fn == "join") return emit_join(e);
    if (fn == "exit") {
      std::string code = e.args.empty() ? "0" : int_expr(*e.args[0]);
      line("btc_signal(ctx, BTC_EV_EXIT, (__u32)(" + code + "));");
      // exit() also ends the probe, like `return` (bpftrace runs nothing after it).
      line(callback_depth_ ? "*btc_c->returned = 1; return 1;" : "return 0;");
      return;
    }
    if (fn == "print" && (e.args[0]->kind != ExprKind::Map || !e.args[0]->args.empty())) return emit_print_value(e);
    if (fn == "print" && e.args.size() > 1) return emit_print_top_div(e);
    if (fn == "print" || fn == "clear" || fn == "zero") {
      const char *kind = fn == "print" ? "BTC_EV_PRINT_MAP" : fn == "clear" ? "BTC_EV_CLEAR_MAP" : "BTC_EV_ZERO_MAP";
      line(std::string("btc_signal(ctx, ") + kind + ", " + std::to_string(info_.map_index.at(e.args[0]->name)) + ");");
      return;
    }
    if (fn == "signal" || fn == "signal_thread") {
      std::string helper = fn == "signal" ? "bpf_send_signal" : "bpf_send_signal_thread";
      line(helper + "((__u32)(" + int_expr(*e.args[0]) + "));");
      return;
    }
    if (fn == "override") {
      line("bpf_override_return(ctx, (__u64)(" + int_expr(*e.args[0]) + "));");
      return;
    }
    if (fn == "delete") {
      line("(void)" + delete_entry(*e.args[0]) + ";");
      return;
    }
  }
  if (e.kind == ExprKind::IncDec) {
    emit_incdec(e, /*want_value=*/false);
    return;
  }
  std::string v = e.type.stored_as_bytes() ? str_expr(e).expr : int_expr(e);
  line("(void)(" + v + ");");
}

void BpfEmitter::emit_printf(const Expr &e) {
  if (cur_->kind == ProbeKind::Iter && !cur_->target.empty()) return emit_seq_printf(e);
  size_t id = info_.printf_id.at(&e);
  std::vector<std::string> ints;
  std::vector<StrVal> strs;
  // Evaluate arguments first (they may need scratch space), then fill the reserved record.
  for (size_t i = 1; i < e.args.size(); i++) {
    const Expr &a = *e.args[i];
    if (a.type.kind == TypeKind::Tuple) {  // evaluated into a local, copied whole
      strs.push_back({tuple_value(a.type, a), a.type.size});
      ints.push_back("");
    } else if (a.type.stored_as_bytes()) {
      strs.push_back(str_expr(a));
      ints.push_back("");
    } else {
      std::string t = tmp();
      line(int_ctype(a.type) + " " + t + " = " + int_expr(a) + ";");
      ints.push_back(t);
      strs.push_back({"", 0});
    }
  }
  std::string st = "struct btc_printf_" + std::to_string(id);
  std::string ev = tmp("ev");
  line(st + " *" + ev + " = btc_reserve(sizeof(" + st + "), BTC_EV_PRINTF, " + std::to_string(id) + ");");
  open_scope("if (" + ev + ")");
  for (size_t i = 0; i + 1 < e.args.size(); i++) {
    std::string field = ev + "->a" + std::to_string(i);
    if (!ints[i].empty()) {
      store_slot(field, e.args[i + 1]->type, ints[i]);
    } else if (e.args[i + 1]->type.kind == TypeKind::Tuple) {
      line(copy_lvalue(field, strs[i].expr, strs[i].size));
    } else {
      copy_value(field, round8(e.args[i + 1]->type.size), strs[i], e.args[i + 1]->type, /*zero_first=*/true);
    }
  }
  line("btc_submit(ctx, " + ev + ", sizeof(*" + ev + "));");
  close_scope();
}

// printf() in a pinned iterator: formatted by the kernel into the iterator's seq_file, since
// the tool is gone when the pinned file is read. Every argument travels as a 64-bit value,
// strings as pointers to their (stack) buffers.
void BpfEmitter::emit_seq_printf(const Expr &e) {
  const std::string &fmt = info_.printfs[info_.printf_id.at(&e)].seq_fmt;  // converted by the checker
  std::vector<std::string> values;
  for (size_t i = 1; i < e.args.size(); i++) {
    const Expr &a = *e.args[i];
    if (a.type.is_string()) {
      StrVal sv = str_expr(a);
      // One byte more than the string: the kernel reads it up to a NUL, also when it was cut.
      std::string buf = char_temp("s", round8(a.type.size + 1));
      copy_string(buf, a.type.size, sv, /*zero_first=*/false);
      values.push_back("(__u64)(long)" + buf);
    } else {
      values.push_back("(__u64)(" + int_expr(a) + ")");
    }
  }
  std::string f = tmp("fmt"), data = tmp("data");
  line("static const char " + f + "[] = " + c_string_literal(fmt) + ";");
  if (values.empty()) {
    line("bpf_seq_printf(ctx->meta->seq, " + f + ", sizeof(" + f + "), 0, 0);");
    return;
  }
  std::string init;
  for (const auto &v : values) init += (init.empty() ? "" : ", ") + v;
  line("__u64 " + data + "[" + std::to_string(values.size()) + "] = {" + init + "};");
  line("bpf_seq_printf(ctx->meta->seq, " + f + ", sizeof(" + f + "), " + data + ", sizeof(" + data + "));");
}

// Stores an integer-like value into an event/key slot; a ustack slot also gets the pid that
// the runtime needs to symbolize it, as the tool sees it (its /proc/PID/maps), and in the high 32 bits 1 + the index of the probe (whose
// binary names the frames once the process is gone, see UserSymbols::resolve).
void BpfEmitter::store_slot(const std::string &dst, const Type &t, const std::string &value) {
  if (t.kind == TypeKind::Ustack || t.kind == TypeKind::Usym) {
    size_t probe = cur_ ? static_cast<size_t>(cur_ - info_.probes.data()) + 1 : 0;
    line(dst + "[0] = " + value + ";");
    line(dst + "[1] = (btc_ns_pid_tgid() >> 32) | ((__u64)" + std::to_string(probe) + " << 32);");
    return;
  }
  line(dst + " = " + value + ";");
}

// print(value): an internal printf ("%ld\n" / "%s\n") registered by the checker.
void BpfEmitter::emit_print_value(const Expr &e) {
  size_t id = info_.printf_id.at(&e);
  const Expr &a = *e.args[0];
  if (a.type.kind == TypeKind::Tuple && !a.type.fields.empty()) return emit_print_tuple(id, a);
  std::string st = "struct btc_printf_" + std::to_string(id);
  StrVal sv{"", 0};
  std::string v;
  if (a.type.kind == TypeKind::Tuple) {
    v = tuple_value(a.type, a);
  } else if (a.type.stored_as_bytes()) {
    sv = str_expr(a);
  } else {  // into a local before the reserve: it may send an event itself (x / 0 warns)
    v = tmp();
    line(int_ctype(a.type) + " " + v + " = " + int_expr(a) + ";");
  }
  std::string ev = tmp("ev");
  line(st + " *" + ev + " = btc_reserve(sizeof(" + st + "), BTC_EV_PRINTF, " + std::to_string(id) + ");");
  open_scope("if (" + ev + ")");
  if (a.type.kind == TypeKind::Tuple)
    line(copy_lvalue(ev + "->a0", v, a.type.size));
  else if (a.type.stored_as_bytes())
    copy_value(ev + "->a0", round8(a.type.size), sv, a.type, true);
  else
    store_slot(ev + "->a0", a.type, v);
  line("btc_submit(ctx, " + ev + ", sizeof(*" + ev + "));");
  close_scope();
}

// print((a, b)): the tuple's elements, one slot each.
void BpfEmitter::emit_print_tuple(size_t id, const Expr &a) {
  std::vector<Val> els;
  for (const Val &el : elems(val_of(a))) els.push_back(evaluated(el));
  std::string st = "struct btc_printf_" + std::to_string(id);
  std::string ev = tmp("ev");
  line(st + " *" + ev + " = btc_reserve(sizeof(" + st + "), BTC_EV_PRINTF, " + std::to_string(id) + ");");
  open_scope("if (" + ev + ")");
  for (size_t i = 0; i < els.size(); i++) {
    Type dt = a.type.inner[i];
    if (dt.is_string()) dt.size = round8(dt.size);
    store(ev + "->a" + std::to_string(i), dt, els[i]);
  }
  line("btc_submit(ctx, " + ev + ", sizeof(*" + ev + "));");
  close_scope();
}

// print(@m, top, div): the header and two u64s the runtime reads as top and div.
void BpfEmitter::emit_print_top_div(const Expr &e) {
  std::string top = tmp(), div = tmp();  // evaluated before the record is reserved, like print(value)'s
  line("__u64 " + top + " = " + int_expr(*e.args[1]) + ";");
  line("__u64 " + div + " = " + (e.args.size() > 2 ? int_expr(*e.args[2]) : "0") + ";");
  std::string ev = tmp("ev");
  line("__u64 *" + ev + " = btc_reserve(sizeof(struct btc_event_hdr) + 16, BTC_EV_PRINT_MAP, " +
       std::to_string(info_.map_index.at(e.args[0]->name)) + ");");
  open_scope("if (" + ev + ")");
  line(ev + "[1] = " + top + ";");
  line(ev + "[2] = " + div + ";");
  line("btc_submit(ctx, " + ev + ", sizeof(struct btc_event_hdr) + 16);");
  close_scope();
}

// debugf(fmt, ...): bpf_printk; integers are passed as 64-bit values, so their conversions get
// an ll length, and strings as pointers to their bytes.
void BpfEmitter::emit_debugf(const Expr &e) {
  std::string fmt;
  const std::string &in = e.args[0]->sval;
  for (size_t i = 0; i < in.size(); i++) {
    fmt += in[i];
    if (in[i] != '%') continue;
    if (i + 1 < in.size() && in[i + 1] == '%') {
      fmt += in[++i];
      continue;
    }
    size_t j = i + 1;
    while (j < in.size() && strchr("-+ #0123456789.", in[j])) fmt += in[j++];
    while (j < in.size() && (in[j] == 'l' || in[j] == 'h' || in[j] == 'z')) j++;  // width comes from the value
    if (j < in.size() && strchr("diuxXo", in[j])) fmt += "ll";
    i = j - 1;
  }
  std::string call = "bpf_printk(" + c_string_literal(fmt);
  for (size_t i = 1; i < e.args.size(); i++) {
    const Expr &a = *e.args[i];
    if (a.type.is_string()) {
      StrVal sv = str_expr(a);
      std::string t = tmp("s");
      line("const char *" + t + " = (const char *)" + sv.expr + ";");
      call += ", " + t;
    } else {
      call += ", (__u64)(" + int_expr(a) + ")";
    }
  }
  line(call + ");");
}

}  // namespace btc::bpf_emitter_internal
