// Integer expressions: operators, builtins, increments.
#include "emit/bpf_emitter_impl.h"

namespace btc::bpf_emitter_internal {

std::string BpfEmitter::binop_c(const std::string &op, const std::string &a, const std::string &b, bool is_signed) {
  std::string t = is_signed ? "(__s64)" : "(__u64)";
  if (op == "/" || op == "%") {  // x / 0 and x % 0 are 0 here (binary() makes them 1 with a warning)
    if (is_signed) return std::string(op == "/" ? "btc_sdiv(" : "btc_smod(") + a + ", " + b + ")";
    return "((" + b + ") == 0 ? 0 : " + t + "(" + a + ") " + op + " " + t + "(" + b + "))";
  }
  if (op == ">>") return "(" + t + "(" + a + ") >> (" + b + "))";
  return "(" + t + "(" + a + ") " + op + " " + t + "(" + b + "))";
}

std::string BpfEmitter::int_expr(const Expr &e) {
  switch (e.kind) {
    case ExprKind::Int:
      return e.is_unsigned_literal ? std::to_string(e.uval) + "ULL" : "(__s64)" + std::to_string(e.uval) + "ULL";
    case ExprKind::Bool:
      return e.ival ? "1" : "0";
    case ExprKind::Var:
      return var_lv(e.name);
    case ExprKind::Positional:
      return "btc_params.param_int[" + std::to_string(e.ival - 1) + "]";
    case ExprKind::ParamCount:
      return "(__s64)btc_params.nparams";
    case ExprKind::Builtin:
      return builtin_int(e);
    case ExprKind::Map:
      return map_read(e);
    case ExprKind::Unary: {
      if (e.op == "*") return read_scalar(place_of(e), e.type);
      if (e.op == "&") return "((__u64)&" + var_lv(e.args[0]->name) + ")";  // the variable's stack slot
      std::string a = int_expr(*e.args[0]);
      if (e.op == "!") return "(!(" + a + "))";
      if (e.op == "-") return "(-(__s64)(" + a + "))";
      return "(~(" + a + "))";
    }
    case ExprKind::IncDec:
      return emit_incdec(e, true);
    case ExprKind::Binary:
      return binary(e);
    case ExprKind::Ternary: {
      std::string t = tmp();
      line(int_ctype(e.type) + " " + t + ";");
      std::string c = int_expr(*e.args[0]);
      open_scope("if (" + c + ")");
      line(t + " = " + int_expr(*e.args[1]) + ";");
      else_scope();
      line(t + " = " + int_expr(*e.args[2]) + ";");
      close_scope();
      return t;
    }
    case ExprKind::Field:
      return field_int(e);
    case ExprKind::Index:
      if (e.args[0]->type.is_string()) return string_char(e);
      return read_scalar(place_of(e), e.type);
    case ExprKind::Cast: {
      if (e.args[0]->kind == ExprKind::Call && e.args[0]->name == "pton") return pton_as_int(*e.args[0]);
      if (e.args[0]->type.kind == TypeKind::Array) {  // (int32)a: the array's bytes as an integer
        StrVal bytes = str_expr(*e.args[0]);
        std::string v = tmp();
        line(int_ctype(e.type) + " " + v + " = 0;");
        line("__builtin_memcpy(&" + v + ", " + bytes.expr + ", " + std::to_string(e.type.size) + ");");
        return v;
      }
      std::string a = int_expr(*e.args[0]);
      if (e.type.kind == TypeKind::Bool) return "((" + a + ") != 0)";
      if (e.type.kind == TypeKind::Pointer && e.args[0]->type.is_int()) {
        // An integer becomes an address zero-extended from its own width, as in bpftrace 0.26,
        // where a literal has the smallest type holding it: (uint8 *)-1 is 0xff.
        uint32_t width = int_operand_width(*e.args[0]);
        if (width < 8) a = "(__u" + std::to_string(width * 8) + ")(" + a + ")";
      }
      std::string ct = std::string(e.type.is_signed ? "__s" : "__u") + std::to_string(e.type.size * 8);
      return "((" + int_ctype(e.type) + ")(" + ct + ")(" + a + "))";
    }
    case ExprKind::Sizeof:
      return std::to_string(e.ival);
    case ExprKind::Block:
      return int_of(block_value(e));
    case ExprKind::TupleIndex:
      return int_of(val_of(e));
    case ExprKind::Call:
      if (info_.extern_functions.count(e.name)) return extern_call(e);
      if (e.name == "offsetof") return offsetof_expr(e);
      if (e.name == "ksym" || e.name == "usym") return "((__u64)(" + int_expr(*e.args[0]) + "))";
      if (e.name == "reg") return reg(static_cast<int>(e.ival));
      if (e.name == "strerror") return "((__s64)(" + int_expr(*e.args[0]) + "))";
      if (e.name == "socket_cookie") return "bpf_get_socket_cookie((void *)(" + int_expr(*e.args[0]) + "))";
      if (e.name == "skboutput")
        return "((__u64)btc_skb_output((void *)(" + int_expr(*e.args[1]) + "), (__u64)(" + int_expr(*e.args[2]) +
               "), " + std::to_string(e.ival) + "))";
      if (e.name == "cgroup_path") return "((__u64)(" + int_expr(*e.args[0]) + "))";
      if (e.name == "strftime") return "((__u64)(" + int_expr(*e.args[1]) + "))";
      if (e.name == "getopt") return "btc_params.named_int[" + std::to_string(e.ival) + "]";
      if (e.name == "nsecs") return nsecs_clock(e.ival);
      if (e.name == "kaddr") return "btc_params.ksym_addr[" + std::to_string(e.ival) + "]";
      if (e.name == "cgroupid") return "btc_params.cgroup_id[" + std::to_string(e.ival) + "]";
      if (e.name == "strcap") return strcap_expr(e);
      if (e.name == "memcmp") return memcmp_expr(e);
      if (e.name == "find") return find_expr(e);
      if (e.name == "is_err") return "((__u64)(" + int_expr(*e.args[0]) + ") >= (__u64)-4095LL)";  // -4095..-1
      if (e.name == "percpu_kaddr") return percpu_kaddr(e);
      if (e.name == "uaddr" && e.ival)  // a position-independent binary: plus where it is mapped
        return "((__u64)" + std::to_string(e.uval) + "ULL + btc_file_load_addr(" + reg(16) + "))";  // ip
      if (e.name == "uaddr") return "((__u64)" + std::to_string(e.uval) + "ULL)";
      if (e.name == "uptr" || e.name == "kptr") return int_expr(*e.args[0]);
      if (e.name == "write_user") {
        std::string dst = int_expr(*e.args[0]);
        std::string src = e.args[1]->type.stored_as_bytes() ? str_expr(*e.args[1]).expr
                                                            : "(const void *)(long)(" + int_expr(*e.args[1]) + ")";
        std::string n = int_expr(*e.args[2]);
        return "((__u64)(bpf_probe_write_user((void *)(long)(" + dst + "), " + src + ", (__u32)(" + n + ")) == 0))";
      }
      if (e.name == "strstr") {
        StrVal h = str_expr(*e.args[0]), n = str_expr(*e.args[1]);
        return "btc_strstr(" + h.expr + ", " + std::to_string(h.size) + ", " + n.expr + ", " + std::to_string(n.size) +
               ")";
      }
      if (e.name == "kstack" || e.name == "ustack") return stack_id(e.type);
      if (e.name == "dw_ustack") return dw_stack_id(e);
      if (e.name == "strlen") {
        StrVal s = str_expr(*e.args[0]);
        return "btc_strlen(" + s.expr + ", " + std::to_string(s.size) + ")";
      }
      if (e.name == "strncmp") {
        StrVal a = str_expr(*e.args[0]), b = str_expr(*e.args[1]);
        uint32_t most = std::min(a.size, b.size);
        if (e.args[2]->kind != ExprKind::Int) {  // a run-time length, capped by the strings' sizes
          std::string n = tmp("n");
          line("__u64 " + n + " = (__u64)(" + int_expr(*e.args[2]) + ");");
          line("if (" + n + " > " + std::to_string(most) + ") " + n + " = " + std::to_string(most) + ";");
          return "btc_strncmp(" + a.expr + ", " + b.expr + ", (__u32)" + n + ")";
        }
        uint32_t n = std::min(static_cast<uint32_t>(e.args[2]->ival), most);
        return "btc_strncmp(" + a.expr + ", " + b.expr + ", " + std::to_string(n) + ")";
      }
      if (e.name == "strcontains") {
        StrVal h = str_expr(*e.args[0]), n = str_expr(*e.args[1]);
        return "btc_strcontains(" + h.expr + ", " + std::to_string(h.size) + ", " + n.expr + ", " +
               std::to_string(n.size) + ")";
      }
      if (e.name == "has_key") {
        const Expr &m = *e.args[0];
        std::string k = build_key(m, nullptr);
        if (info_.map(m.name).soft_delete) {  // a dead entry is not there
          std::string p = tmp("p");
          line("struct btc_live_val *" + p + " = bpf_map_lookup_elem(&" + info_.map(m.name).c_name + ", &" + k + ");");
          return "(" + p + " && " + p + "->live)";
        }
        return "(bpf_map_lookup_elem(&" + info_.map(m.name).c_name + ", &" + k + ") != 0)";
      }
      if (e.name == "len" && e.args[0]->kind != ExprKind::Map) {  // a stack: its depth, in bits 32..
        std::string id = tmp("sid");
        line("__s64 " + id + " = (__s64)(" + int_expr(*e.args[0]) + ");");
        return "(" + id + " < 0 ? 0 : (" + id + " >> 32))";
      }
      if (e.name == "len") {
        // The helper's result (the elements visited), not the callback's count: the verifier
        // knows that count exactly after each iteration, and a later test of it (len(@) > 1)
        // made it walk the callback until it gave up (E2BIG).
        std::string t = tmp("n"), r = tmp("r");
        line("__u64 " + t + " = 0;");
        line("long " + r + " = bpf_for_each_map_elem(&" + info_.map(e.args[0]->name).c_name + ", btc_count_elem, &" +
             t + ", 0);");
        line(t + " = " + r + " < 0 ? 0 : (__u64)" + r + ";");
        return t;
      }
      if (e.name == "bswap") {
        std::string a = int_expr(*e.args[0]);
        if (e.type.size == 2) return "((__u64)__builtin_bswap16((__u16)(" + a + ")))";
        if (e.type.size == 4) return "((__u64)__builtin_bswap32((__u32)(" + a + ")))";
        if (e.type.size == 1) return "((__u64)(__u8)(" + a + "))";
        return "((__u64)__builtin_bswap64((__u64)(" + a + ")))";
      }
      if (e.name == "delete") return delete_entry(*e.args[0]);
      break;
    default:
      break;
  }
  return "0 /* unsupported */";
}

std::string BpfEmitter::binary(const Expr &e) {
  const Expr &l = *e.args[0], &r = *e.args[1];
  if (l.type.kind == TypeKind::Tuple) {
    std::string eq = tuple_eq(val_of(l), val_of(r));
    return e.op == "==" ? eq : "(!" + eq + ")";
  }
  if (l.type.kind == TypeKind::Array) {  // == and != of arrays of one type
    StrVal a = str_expr(l), b = str_expr(r);
    std::string eq = "btc_memeq(" + a.expr + ", " + b.expr + ", " + std::to_string(l.type.size) + ")";
    return e.op == "==" ? "(" + eq + ")" : "(!" + eq + ")";
  }
  if (l.type.kind == TypeKind::Buffer) {  // == and != only (the checker allows nothing else)
    StrVal a = str_expr(l), b = str_expr(r);
    uint32_t n = std::min(a.size, b.size) - 8;
    std::string eq = "btc_bufeq(" + a.expr + ", " + b.expr + ", " + std::to_string(n) + ")";
    return e.op == "==" ? "(" + eq + ")" : "(!" + eq + ")";
  }
  if (l.type.is_string()) {
    std::string eq = str_eq(str_expr(l), str_expr(r));
    return e.op == "==" ? eq : "(!" + eq + ")";
  }
  std::string a = int_expr(l), b = int_expr(r);
  const std::string &op = e.op;
  if (op == "&&" || op == "||") return "((" + a + ") " + op + " (" + b + "))";
  bool cmp = op == "==" || op == "!=" || op == "<" || op == ">" || op == "<=" || op == ">=";
  if (e.type.kind == TypeKind::Pointer) {  // pointer +/- integer: steps of the pointee's size
    bool lp = l.type.kind == TypeKind::Pointer;
    std::string n = "(__s64)(" + (lp ? b : a) + ") * " + std::to_string(pointee_size(e.type));
    return "((__u64)(" + (lp ? a : b) + ") " + op + " (__u64)(" + n + "))";
  }
  if (cmp) {
    bool is_signed = l.type.is_int() && l.type.is_signed && r.type.is_int() && r.type.is_signed;
    if (l.type.kind == TypeKind::Bool || r.type.kind == TypeKind::Bool) is_signed = true;
    std::string t = is_signed ? "(__s64)" : "(__u64)";
    return "(" + t + "(" + a + ") " + op + " " + t + "(" + b + "))";
  }
  if ((op == "/" || op == "%") && info_.printf_id.count(&e)) return checked_division(e, a, b);
  return binop_c(op, a, b, e.type.is_signed);
}

// The byte width an integer operand has in bpftrace 0.26: a literal (or a negated one) takes the
// smallest signed type holding it; anything else its own type's size.
uint32_t BpfEmitter::int_operand_width(const Expr &e) {
  auto smallest = [](uint64_t v) -> uint32_t { return v <= 0x7f ? 1 : v <= 0x7fff ? 2 : v <= 0x7fffffff ? 4 : 8; };
  if (e.kind == ExprKind::Int && e.name.empty()) return e.is_unsigned_literal ? 8 : smallest(e.uval);
  const Expr *lit = e.kind == ExprKind::Unary && e.op == "-" ? e.args[0].get() : nullptr;
  if (lit && lit->kind == ExprKind::Int && !lit->is_unsigned_literal && lit->uval > 0)
    return smallest(lit->uval - 1);  // -128 still fits int8
  return e.type.size ? e.type.size : 8;
}

// a / b or a % b where b may be 0: then the result is 1 and the tool warns (a printf-table entry
// without arguments). A statement expression, so b is read once and only where the C evaluates it.
std::string BpfEmitter::checked_division(const Expr &e, const std::string &a, const std::string &b) {
  std::string ct = e.type.is_signed ? "__s64" : "__u64";
  std::string d = tmp("d");
  std::string warn = "btc_signal(ctx, BTC_EV_PRINTF, " + std::to_string(info_.printf_id.at(&e)) + ")";
  return "({ " + ct + " " + d + " = (" + ct + ")(" + b + "); if (" + d + " == 0) " + warn + "; " + d + " == 0 ? (" +
         ct + ")1 : " + binop_c(e.op, a, d, e.type.is_signed) + "; })";
}

std::string BpfEmitter::builtin_int(const Expr &e) {
  const std::string &n = e.name;
  // pid, tid: seen from the tool's pid namespace; pid(init), tid(init) (ival 1): from the initial one.
  if (n == "pid") return e.ival ? "(bpf_get_current_pid_tgid() >> 32)" : "(btc_ns_pid_tgid() >> 32)";
  if (n == "tid") return e.ival ? "((__u32)bpf_get_current_pid_tgid())" : "((__u32)btc_ns_pid_tgid())";
  if (n == "ncpus") return "btc_params.ncpus";
  if (n == "numaid") return "((__u64)(__u32)bpf_get_numa_node_id())";
  if (n == "username") return "((__u64)(__u32)bpf_get_current_uid_gid())";
  if (n == "usermode") {
    bool tool_ctx = cur_->kind == ProbeKind::Begin || cur_->kind == ProbeKind::End || cur_->kind == ProbeKind::Signal;
    return tool_ctx ? "1" : "((" + reg(kRegCs) + " & 3) == 3)";
  }
  if (n == "uid") return "((__u32)bpf_get_current_uid_gid())";
  if (n == "gid") return "(bpf_get_current_uid_gid() >> 32)";
  if (n == "nsecs") return "bpf_ktime_get_boot_ns()";  // bpftrace: nanoseconds since boot
  if (n == "elapsed") return "(bpf_ktime_get_ns() - btc_params.start_ns)";
  if (n == "cpu") return "((__u64)bpf_get_smp_processor_id())";
  if (n == "rand") return "((__u64)bpf_get_prandom_u32())";
  if (n == "cgroup") return "bpf_get_current_cgroup_id()";
  if (n == "jiffies") return "bpf_jiffies64()";
  if (n == "cpid") return "btc_params.cpid";
  if (n == "has_cpid") return "(btc_params.cpid != 0)";
  if (n == "__btc_kfunc_answer") return "(btc_params.kfunc_answer[" + std::to_string(e.ival) + "] != 0)";
  if (n == "ctx") return "((__u64)ctx)";
  if (n == "kstack" || n == "ustack") return stack_id(e.type);
  if (n == "dw_ustack") return dw_stack_id(e);
  if (n == "curtask") return "((__u64)bpf_get_current_task())";
  if (n == "ppid") return "((__u64)BPF_CORE_READ((struct task_struct *)bpf_get_current_task(), real_parent, tgid))";
  if (n == "leader_tid")
    return "((__u64)BPF_CORE_READ((struct task_struct *)bpf_get_current_task(), group_leader, pid))";
  if (n.starts_with("arg") && n.size() > 3 && isdigit(static_cast<unsigned char>(n[3])) &&
      cur_->kind == ProbeKind::Usdt)  // arg0 .. arg11
    return "({ long btc_a_ = 0; bpf_usdt_arg(ctx, " + n.substr(3) + ", &btc_a_); btc_a_; })";
  if (n.size() == 4 && n.compare(0, 3, "arg") == 0 && cur_->kind == ProbeKind::Rawtp)
    return "ctx[" + std::string(1, n[3]) + "]";
  if (n.size() == 4 && n.compare(0, 3, "arg") == 0 && as_fentry_) return "ctx[" + std::string(1, n[3]) + "]";
  if (n.size() == 4 && n.compare(0, 3, "arg") == 0) return reg(kRegArg[n[3] - '0']);
  if (n == "retval") {
    if (cur_->kind == ProbeKind::Fexit && !as_kprobe_)
      return "((" + int_ctype(e.type) + ")ctx[" + std::to_string(cur_->proto->params.size()) + "])";
    if (as_fentry_) return "((" + int_ctype(e.type) + ")ctx[" + std::to_string(cur_->twin_nargs) + "])";
    return "((" + int_ctype(e.type) + ")" + reg(kRegRet) + ")";
  }
  return "0";
}

// nsecs(boot|monotonic|tai|sw_tai) in the checker's order; sw_tai is boot time plus the
// TAI offset the tool measured at start.
std::string BpfEmitter::nsecs_clock(int64_t clock) {
  switch (clock) {
    case 1:
      return "bpf_ktime_get_ns()";
    case 2:
      return "bpf_ktime_get_tai_ns()";
    case 3:
      return "(bpf_ktime_get_boot_ns() + btc_params.tai_offset_ns)";
    default:
      return "bpf_ktime_get_boot_ns()";
  }
}

// The id of the current kernel or user stack in btc_stacks (negative when it cannot be taken).
// With len() of a stack in the program, the id also carries the stack's depth (see btc_bpf.h).
std::string BpfEmitter::stack_id(const Type &t) const {
  std::string flags = t.kind == TypeKind::Ustack ? "BPF_F_USER_STACK" : "0";
  if (t.hist_bits == BTC_STACK_BUILD_ID) return "((__s64)bpf_get_stackid(ctx, &btc_build_id_stacks, " + flags + "))";
  if (info_.stack_len) return "btc_stack_with_depth(ctx, " + flags + ", " + std::to_string(t.count) + ")";
  return "((__s64)bpf_get_stackid(ctx, &btc_stacks, " + flags + "))";
}

// The id of the current user stack unwound with the target's .eh_frame tables (btc_dw_unwind.h);
// the printf-table entry warns when the process has none.
std::string BpfEmitter::dw_stack_id(const Expr &e) const {
  uint32_t limit = e.type.count & BTC_STACK_LIMIT_PARAM ? BTC_MAX_STACK_FRAMES : e.type.count;
  auto warn = info_.printf_id.find(&e);
  std::string warn_id = warn == info_.printf_id.end() ? "-1" : std::to_string(warn->second);
  return "btc_dw_ustack(ctx, " + std::to_string(limit) + ", " + warn_id + ")";
}

// fentry/fexit argument `name`: ctx[i] in the trampoline program, register i in the kprobe twin
// (and in uprobes, whose `args` come from DWARF).
std::string BpfEmitter::function_arg(const std::string &name) const {
  const auto &params = cur_->proto->params;
  for (size_t i = 0; i < params.size(); i++) {
    if (params[i].name != name) continue;
    if (as_kprobe_ || cur_->kind == ProbeKind::Uprobe) return i < 6 ? reg(kRegArg[i]) : "0";
    return "ctx[" + std::to_string(i) + "]";
  }
  return "0";
}

std::string BpfEmitter::emit_incdec(const Expr &e, bool want_value) {
  const Expr &a = *e.args[0];
  std::string d = e.op == "++" ? "1" : "-1";
  if (e.type.kind == TypeKind::Pointer) d = (e.op == "++" ? "" : "-") + std::to_string(pointee_size(e.type));
  if (a.kind == ExprKind::Var) {
    std::string v = var_lv(a.name);
    if (!want_value) {
      line(v + " += " + d + ";");
      return v;
    }
    std::string t = tmp();
    line(int_ctype(a.type) + " " + t + " = " + (e.is_prefix ? "(" + v + " += " + d + ")" : v + "; " + v + " += " + d) +
         ";");
    return t;
  }
  const MapInfo &m = info_.map(a.name);
  ForgetReadsAtExit forget{this, m.name};
  std::string k = build_key(a, nullptr);
  if (!want_value) {
    line("BTC_MAP_ATOMIC_ADD(&" + m.c_name + ", " + map_id(m) + ", &" + k + ", " + d + ");");
    return "0";
  }
  std::string t = tmp();
  line("__s64 " + t + " = 0;");
  open_scope("");
  line("__s64 *btc_p = bpf_map_lookup_elem(&" + m.c_name + ", &" + k + ");");
  line("if (btc_p) { " + t + " = __sync_fetch_and_add(btc_p, " + d + "); } else { __s64 btc_i = " + d + "; " +
       update(m, k, "btc_i") + " }");
  if (e.is_prefix) line(t + " += " + d + ";");
  close_scope();
  return t;
}

}  // namespace btc::bpf_emitter_internal
