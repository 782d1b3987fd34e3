// Checking function calls: arity, constant arguments, and the rules of each function.
#include <algorithm>

#include "ast/builtin_names.h"
#include "check/checker_impl.h"

namespace btc::checker_internal {

bool Checker::arity(Expr &e, size_t min, size_t max) {
  if (e.args.size() < min || e.args.size() > max) {
    std::string want = min == max ? std::to_string(min) : std::to_string(min) + " to " + std::to_string(max);
    error(DiagKind::Semantic, e.range,
          e.name + "() takes " + want + " argument" + (max == 1 ? "" : "s") + ", got " + std::to_string(e.args.size()));
    return false;
  }
  return true;
}

std::optional<int64_t> Checker::literal_int(const Expr &e) {
  if (e.kind == ExprKind::Int) return e.ival;
  if (e.kind == ExprKind::Unary && e.op == "-" && e.args[0]->kind == ExprKind::Int) return -e.args[0]->ival;
  return std::nullopt;
}

// -N, or an integer literal below zero.
bool Checker::is_negative_literal(const Expr &e) {
  bool negated = e.kind == ExprKind::Unary && e.op == "-" && e.args[0]->kind == ExprKind::Int;
  return negated || (e.kind == ExprKind::Int && e.ival < 0);
}

std::optional<int64_t> Checker::const_int(Expr &e) {
  if (auto v = literal_int(e)) return v;
  error(DiagKind::Semantic, e.range, "this argument must be an integer literal");
  return std::nullopt;
}

// An integer argument that may be computed at run time (str()'s and strncmp()'s lengths).
bool Checker::check_int_arg(Expr &e, const std::string &fn) {
  check_expr(e);
  if (e.type.is_none()) return false;
  if (e.type.is_int()) return true;
  error(DiagKind::Type, e.range, fn + "() needs an integer length, not " + to_string(e.type));
  return false;
}

void Checker::check_call(Expr &e, bool statement) {
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
  if (check_introspection_call(e, statement)) return;
  if ((fn == "pid" || fn == "tid") && e.args.size() == 1) return check_pid_namespace(e);
  if (fn == "nsecs") return check_nsecs(e);
  if (fn == "kaddr") return check_kaddr(e);
  if (fn == "percpu_kaddr") return check_percpu_kaddr(e);
  if (fn == "uaddr") return check_uaddr(e);
  if (fn == "uptr" || fn == "kptr") return check_address_space(e);
  if (fn == "write_user") return check_write_user(e);
  if (fn == "signal_name") {  // strsignal()'s text of a signal number, "N/A" out of range
    if (!arity(e, 1, 1)) return;
    check_expr(*e.args[0]);
    if (e.args[0]->type.is_none()) return;
    if (!e.args[0]->type.is_int()) {
      error(DiagKind::Type, e.args[0]->range, "signal_name() needs an integer, not " + to_string(e.args[0]->type));
      return;
    }
    e.type = Type::string(BTC_SIGNAL_NAME_SIZE);
    return;
  }
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
    if (pinned_iter() && !seq_printf_format(pi.fmt, pi.args, &pi.seq_fmt, &err, &bad_arg)) {
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
    uprobe_args_as_value(*e.args[0]);
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
  if (fn == "socket_cookie") {
    // socket_cookie(struct sock *): bpf_get_socket_cookie, which only BPF_PROG_TYPE_TRACING
    // programs (fentry, fexit, BTF rawtracepoint) may call.
    if (!arity(e, 1, 1)) return;
    check_expr(*e.args[0]);
    if (cur_ && cur_->kind != ProbeKind::Fentry && cur_->kind != ProbeKind::Fexit && cur_->kind != ProbeKind::Rawtp) {
      error(DiagKind::Semantic, e.range,
            "socket_cookie can not be used with \"" + cur_->spec.substr(0, cur_->spec.find(':')) + "\" probes");
      return;
    }
    const Type &t = e.args[0]->type;
    bool sock = t.kind == TypeKind::Pointer && !t.inner.empty() && t.inner[0].kind == TypeKind::Record &&
                t.inner[0].name == "struct sock";
    if (!t.is_none() && !sock) {
      error(DiagKind::Type, e.args[0]->range,
            "socket_cookie() only supports 'struct sock *' as the argument (" + to_string(t) + " provided)");
      return;
    }
    if (cur_) cur_->tracing_helpers = true;
    e.type = Type::integer(8, false);
    return;
  }
  if (fn == "skboutput") return check_skboutput(e);
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
  if (fn == "kstack" || fn == "ustack" || fn == "dw_ustack") {
    // kstack([mode, ][limit]) with mode one of bpftrace, perf, raw (and build_id for ustack);
    // dw_ustack takes ustack's arguments.
    if (!arity(e, 0, 2)) return;
    uint32_t mode = info_->config.stack_mode, limit = BTC_MAX_STACK_FRAMES;
    size_t i = 0;
    if (!e.args.empty() && e.args[0]->kind == ExprKind::Builtin) {
      const std::string &m = e.args[0]->name;
      if (m == "bpftrace")
        mode = BTC_STACK_BPFTRACE;
      else if (m == "perf")
        mode = BTC_STACK_PERF;
      else if (m == "raw")
        mode = BTC_STACK_RAW;
      else if (m == "build_id")
        mode = BTC_STACK_BUILD_ID;
      else {
        error(DiagKind::Name, e.args[0]->range, "unknown stack mode '" + m + "' (bpftrace, perf, raw, build_id)");
        return;
      }
      if (mode == BTC_STACK_BUILD_ID && fn == "kstack") {
        error(DiagKind::Semantic, e.args[0]->range, "'build_id' stack mode can only be used for ustack");
        return;
      }
      i = 1;
    }
    if (i < e.args.size() && e.args[i]->kind == ExprKind::Positional) {
      check_expr(*e.args[i]);  // ustack($1): the runtime reads (and checks) the limit when the tool starts
      limit = BTC_STACK_LIMIT_PARAM | static_cast<uint32_t>(e.args[i]->ival);
      i++;
    } else if (i < e.args.size()) {
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
    if (fn == "dw_ustack") note_dw_ustack(e);
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
        if (e.args[0]->type.hist_bits == BTC_STACK_BUILD_ID) {
          error(DiagKind::Semantic, e.args[0]->range, "btc does not support len() of a build_id stack");
          return;
        }
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
  if (fn == "signal" || fn == "signal_thread") return check_signal(e, statement);
  if (fn == "str_concat") return check_str_concat(e);
  if (fn == "strcap") return check_strcap(e);
  if (fn == "memcmp") return check_memcmp(e);
  if (fn == "find") return check_find(e);
  if (fn == "syscall_name") return check_syscall_name(e);
  if (fn == "is_err") return check_is_err(e);
  if (fn == "cgroupid") return check_cgroupid(e);
  if (fn == "path") return check_path(e);
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
      check_positional(a, false);
      e.type = Type::string(BTC_PARAM_STR_SIZE);
      return;
    }
    if (positional_suffix(a)) {  // str($1 + 2): the parameter's text from its third character on
      check_positional(*a.args[0], false);
      a.type = e.type = Type::string(BTC_PARAM_STR_SIZE);  // the sum is a string: the emitter reads it so
      return;
    }
    check_expr(a);
    if (a.type.is_none()) return;
    if (a.type.is_string()) {
      e.type = Type::string(std::min(size, a.type.size));
    } else if (a.type.is_int() || a.type.kind == TypeKind::Pointer) {
      e.type = Type::string(size);
    } else {
      error(DiagKind::Type, a.range, "str() needs a pointer, an integer address or a string, not " + to_string(a.type));
    }
    return;
  }
  if (info_->extern_functions.count(fn)) return check_extern_call(e, statement);
  std::vector<std::string> names = ast::function_hints();
  for (const auto &[name, f] : info_->extern_functions) names.push_back(name);
  std::string hint = closest_match(fn, names);
  error(DiagKind::Name, e.range,
        "unknown function '" + fn + "'" + (hint.empty() ? "" : ", did you mean " + hint + "?"));
}

// Builtins that may be called with no arguments, as in bpftrace's standard library.
bool Checker::is_builtin_call(const Expr &e) {
  if (!e.args.empty()) return false;
  std::string n = e.name.rfind("__builtin_", 0) == 0 ? e.name.substr(10) : e.name;
  return ast::is_bare_callable(n);
}

// $N + literal inside str(): bpftrace reads the parameter as a string literal and the sum as
// that string without its first `literal` characters.
bool Checker::positional_suffix(const Expr &a) {
  return a.kind == ExprKind::Binary && a.op == "+" && a.args[0]->kind == ExprKind::Positional &&
         a.args[1]->kind == ExprKind::Int && !a.args[1]->is_unsigned_literal && a.args[1]->ival >= 0;
}

// kaddr("sym"): the kernel symbol's address, looked up in /proc/kallsyms by the tool before it
// loads (so on the machine it runs on); e.ival = its slot in btc_params.ksym_addr.
// uptr(p) / kptr(p): p itself, marked as a user / kernel address, which decides the helper that
// reads through it.
void Checker::check_address_space(Expr &e) {
  if (!arity(e, 1, 1)) return;
  Expr &a = *e.args[0];
  check_expr(a);
  if (a.type.is_none()) return;
  if (a.type.kind != TypeKind::Pointer && !a.type.is_int()) {
    error(DiagKind::Type, a.range, e.name + "() needs a pointer, not " + to_string(a.type));
    return;
  }
  e.type = a.type;
  e.type.addr_space = e.name == "uptr" ? AddrSpace::User : AddrSpace::Kernel;
}

// write_user(dst, src, len): bpf_probe_write_user of len bytes of src (a pointer, or a value's
// own bytes) to the user address dst; true when it worked. Only with --unsafe.
void Checker::check_write_user(Expr &e) {
  if (!info_->unsafe) {
    error(DiagKind::Semantic, e.range, "write_user() is unsafe. To use you need the --unsafe flag");
    return;
  }
  if (!arity(e, 3, 3)) return;
  for (auto &a : e.args) check_expr(*a);
  for (auto &a : e.args)
    if (a->type.is_none()) return;
  auto address = [](const Type &t) { return t.kind == TypeKind::Pointer || t.is_int(); };
  if (!address(e.args[0]->type)) {
    error(DiagKind::Type, e.args[0]->range,
          "write_user() needs a destination pointer, not " + to_string(e.args[0]->type));
    return;
  }
  if (!address(e.args[1]->type) && !e.args[1]->type.stored_as_bytes()) {
    error(DiagKind::Type, e.args[1]->range, "write_user() cannot write a value of type " + to_string(e.args[1]->type));
    return;
  }
  if (!e.args[2]->type.is_int()) {
    error(DiagKind::Type, e.args[2]->range, "write_user() needs an integer length, not " + to_string(e.args[2]->type));
    return;
  }
  e.type = Type::boolean();
}

void Checker::check_kaddr(Expr &e) {
  if (!arity(e, 1, 1)) return;
  Expr &a = *e.args[0];
  std::string name = a.sval;
  if (a.kind == ExprKind::Call && a.name == "str" && a.args.size() == 1 && a.args[0]->kind == ExprKind::Positional) {
    check_positional(*a.args[0], false);  // kaddr(str($1)): the tool resolves the symbol $1 names, as it starts
    name = "$" + std::to_string(a.args[0]->ival);
  } else if (a.kind != ExprKind::String || a.sval.empty()) {
    error(DiagKind::Type, a.range, "kaddr() needs a kernel symbol name as a string literal");
    return;
  }
  auto &syms = info_->ksyms;
  auto it = std::find(syms.begin(), syms.end(), name);
  if (it == syms.end()) {
    if (syms.size() >= BTC_MAX_KSYMS) {
      error(DiagKind::Semantic, e.range, "too many kaddr() symbols (at most " + std::to_string(BTC_MAX_KSYMS) + ")");
      return;
    }
    it = syms.insert(syms.end(), name);
    info_->ksym_ranges.push_back(e.range);
  }
  e.ival = it - syms.begin();
  e.type = Type::integer(8, false);
  e.type.addr_space = AddrSpace::Kernel;
}

// percpu_kaddr("var"[, cpu]): the address of per-CPU kernel variable `var` on this CPU, or on CPU
// `cpu` (0 past the last one). The BPF C declares the variable as a typed ksym, which libbpf
// resolves from the target kernel's BTF as it loads. As in bpftrace the result is a uint64 in
// kernel memory (like kaddr()): `*` reads a uint64 there, a cast makes it a typed pointer.
void Checker::check_percpu_kaddr(Expr &e) {
  if (!arity(e, 1, 2)) return;
  Expr &a = *e.args[0];
  if (a.kind != ExprKind::String || a.sval.empty()) {
    error(DiagKind::Type, a.range, "percpu_kaddr() needs a per-CPU kernel variable name as a string literal");
    return;
  }
  if (e.args.size() == 2) {
    Expr &cpu = *e.args[1];
    check_expr(cpu);
    if (cpu.type.is_none()) return;
    if (!cpu.type.is_int()) {
      error(DiagKind::Type, cpu.range, "percpu_kaddr() needs an integer CPU number, not " + to_string(cpu.type));
      return;
    }
  }
  if (!btf_) {
    error(DiagKind::Semantic, e.range, "percpu_kaddr() needs kernel BTF");
    return;
  }
  std::optional<int> type_id = btf_->percpu_var_type(a.sval);
  if (!type_id) {
    std::string hint = closest_match(a.sval, btf_->percpu_var_names());
    error(DiagKind::Name, a.range,
          "could not resolve per-CPU variable \"" + a.sval + "\" from kernel BTF" +
              (hint.empty() ? "" : ", did you mean " + hint + "?"));
    return;
  }
  std::optional<std::string> base = btf_->named_base_type(*type_id);
  if (!base) {
    error(DiagKind::Semantic, a.range,
          "percpu_kaddr(): the type of per-CPU variable \"" + a.sval + "\" has no name btc can declare");
    return;
  }
  auto &vars = info_->percpu_vars;
  auto same = [&](const ProgramInfo::PercpuVar &v) { return v.name == a.sval; };
  if (std::find_if(vars.begin(), vars.end(), same) == vars.end()) vars.push_back({a.sval, *type_id});
  auto &records = info_->kernel_records;
  if (!base->empty() && std::find(records.begin(), records.end(), *base) == records.end()) records.push_back(*base);
  e.type = Type::integer(8, false);
  e.type.addr_space = AddrSpace::Kernel;
}

// uaddr("sym"): the address of a symbol of the probed binary, read from its ELF symbol table at
// build time (e.uval); a pointer to an unsigned integer of the symbol's size (else uint64), as in
// bpftrace. A position-independent binary is loaded at an address known only at run time: as in
// bpftrace, the program adds the start of the current process's lowest mapping of the file
// (e.ival = 1), which it finds through the mapping holding the probed instruction; so not in
// uretprobes, which run at the caller's return address.
void Checker::check_uaddr(Expr &e) {
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
  if (sym->pie && k == ProbeKind::Uretprobe) {
    error(DiagKind::Semantic, e.range,
          "uaddr(): " + path + " is position-independent (PIE or a library); " +
              "btc finds where it is loaded only in uprobe and usdt probes");
    return;
  }
  e.ival = sym->pie ? 1 : 0;
  if (sym->pie) info_->uaddr_pie = true;
  uint32_t size = sym->size == 1 || sym->size == 2 || sym->size == 4 ? static_cast<uint32_t>(sym->size) : 8;
  e.uval = sym->address;
  e.type.kind = TypeKind::Pointer;
  e.type.size = 8;
  e.type.inner = {Type::integer(size, false)};
  e.type.addr_space = AddrSpace::User;
}

// debugf(fmt, ...): bpf_trace_printk to the kernel's trace buffer; integers and strings only.
void Checker::check_debugf(Expr &e, bool statement) {
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

// time([fmt]): prints the current local time (when user space handles the event) with
// strftime(3); a printf-table entry of severity BTC_SEV_TIME whose format is the time format.
// print((a, b)): each element in one slot, shown as "(a, b)" (JSON: an array); a record as
// "{ .a = 1, .b = 2 }" (JSON: an object).
void Checker::check_print_tuple(Expr &e) {
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

void Checker::check_time(Expr &e, bool statement) {
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

// strftime(fmt, ns): a timestamp (ns since boot) that the runtime formats as local time.
void Checker::check_strftime(Expr &e) {
  if (!arity(e, 2, 2)) return;
  if (e.args[0]->kind != ExprKind::String) {
    error(DiagKind::Type, e.args[0]->range, "strftime() needs a format string literal as its first argument");
    return;
  }
  Expr &ns = *e.args[1];
  check_expr(ns);
  if (ns.type.is_none()) return;
  if (!ns.type.is_int()) {
    error(DiagKind::Type, ns.range, "strftime() needs an integer timestamp in nanoseconds, not " + to_string(ns.type));
    return;
  }
  if (is_negative_literal(ns)) {
    error(DiagKind::Semantic, ns.range, "strftime() timestamp must be non-negative");
    return;
  }
  e.type.kind = TypeKind::Timestamp;
  e.type.size = 8;
  e.type.name = e.args[0]->sval;
}

// skboutput(path, skb, len, offset): bpf_skb_output, which only BPF_PROG_TYPE_TRACING programs
// (fentry, fexit, BTF rawtracepoint) may call. path is a string literal and offset an integer
// literal, both used by the runtime; e.ival is the call's id (ProgramInfo::skb_outputs).
void Checker::check_skboutput(Expr &e) {
  if (!arity(e, 4, 4)) return;
  for (auto &a : e.args) check_expr(*a);
  if (cur_ && cur_->kind != ProbeKind::Fentry && cur_->kind != ProbeKind::Fexit && cur_->kind != ProbeKind::Rawtp) {
    error(DiagKind::Semantic, e.range,
          "skboutput can not be used with \"" + cur_->spec.substr(0, cur_->spec.find(':')) + "\" probes");
    return;
  }
  if (e.args[0]->kind != ExprKind::String) {
    error(DiagKind::Semantic, e.args[0]->range, "skboutput() needs a string literal as its first argument");
    return;
  }
  const Type &skb = e.args[1]->type;
  if (!skb.is_none() && skb.kind != TypeKind::Pointer) {
    error(DiagKind::Type, e.args[1]->range,
          "skboutput() expects a pointer as its second argument (" + to_string(skb) + " provided)");
    return;
  }
  const Type &len = e.args[2]->type;
  if (!len.is_none() && !len.is_int()) {
    error(DiagKind::Type, e.args[2]->range, "skboutput() expects an integer length (" + to_string(len) + " provided)");
    return;
  }
  auto offset = const_int(*e.args[3]);
  if (!offset) return;
  if (*offset < 0) {
    error(DiagKind::Semantic, e.args[3]->range, "skboutput() offset must not be negative");
    return;
  }
  std::pair<std::string, uint64_t> call{e.args[0]->sval, static_cast<uint64_t>(*offset)};
  auto &calls = info_->skb_outputs;
  auto it = std::find(calls.begin(), calls.end(), call);
  e.ival = it - calls.begin();
  if (it == calls.end()) calls.push_back(call);
  if (cur_) cur_->tracing_helpers = true;
  e.type = Type::integer(4, false);
}

}  // namespace btc::checker_internal
