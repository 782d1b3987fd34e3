// Checking the functions of bpftrace's standard library that btc implements as builtins:
// str_concat, strcap, memcmp, find, syscall_name, is_err, signal/signal_thread, cgroupid, path.
#include "check/checker_impl.h"

namespace btc::checker_internal {

// str_concat(s1, s2): a new string[1024] holding s1 then s2 (cut at 1023 characters), as in bpftrace.
void Checker::check_str_concat(Expr &e) {
  if (!arity(e, 2, 2)) return;
  for (auto &a : e.args) {
    check_expr(*a);
    if (a->type.is_none()) return;
    if (a->type.kind == TypeKind::Pointer || a->type.kind == TypeKind::Array) {
      error(DiagKind::Type, a->range, "str_concat() needs strings, not " + to_string(a->type) + ": read it with str()");
      return;
    }
    if (!a->type.is_string()) {
      error(DiagKind::Type, a->range, "string-like values must be either strings, arrays or pointers");
      return;
    }
  }
  e.type = Type::string(kStrConcatSize);
}

// strcap(x): the capacity of a string-like value, known here for a string (its size) and a char
// array (its length); for a char pointer, the length of the string it points to, read at run
// time (e.ival = 1).
void Checker::check_strcap(Expr &e) {
  if (!arity(e, 1, 1)) return;
  Expr &a = *e.args[0];
  check_expr(a);
  const Type &t = a.type;
  if (t.is_none()) return;
  auto char_like = [](const Type &el) { return el.kind == TypeKind::Int && el.size == 1; };
  e.type = Type::integer(8, false);
  e.ival = 0;
  if (t.is_string()) {
    e.uval = t.size;
  } else if (t.kind == TypeKind::Array && !t.inner.empty() && char_like(t.inner[0])) {
    e.uval = t.count;
  } else if (t.kind == TypeKind::Pointer && !t.inner.empty() && char_like(t.inner[0])) {
    e.ival = 1;
  } else if (t.kind == TypeKind::Array) {
    error(DiagKind::Type, a.range, "string-like arrays must contain a char-like type");
  } else if (t.kind == TypeKind::Pointer) {
    error(DiagKind::Type, a.range, "string-like pointers must point to a char-like type");
  } else {
    error(DiagKind::Type, a.range, "string-like values must be either strings, arrays or pointers");
  }
}

// memcmp(left, right, count): compares the first count bytes of two values held in memory
// (strings, integers, arrays, tuples and records: bpftrace compares any value it can take the
// address of); count is capped at the smaller value's size.
void Checker::check_memcmp(Expr &e) {
  if (!arity(e, 3, 3)) return;
  for (size_t i = 0; i < 2; i++) {
    Expr &a = *e.args[i];
    check_expr(a);
    if (a.type.is_none()) return;
    bool bytes = a.type.is_string() || a.type.is_int() || a.type.kind == TypeKind::Pointer ||
                 a.type.kind == TypeKind::Array || a.type.kind == TypeKind::Tuple;
    if (!bytes) {
      error(DiagKind::Type, a.range,
            "btc's memcmp() compares strings, integers, arrays, tuples and records, not " + to_string(a.type));
      return;
    }
    if (a.type.kind == TypeKind::Tuple) info_->temp_tuple_types.push_back(a.type);
  }
  if (!check_int_arg(*e.args[2], "memcmp")) return;
  if (is_negative_literal(*e.args[2])) {
    error(DiagKind::Semantic, e.args[2]->range, "memcmp() count must not be negative");
    return;
  }
  e.type = Type::integer(4, true);
}

// find(@m, key, $v): whether @m has key; when it does, $v is set to its value. Normalised on the
// first pass to find(@m[key], $v) (marked by e.ival = 1), as has_key.
void Checker::check_find(Expr &e) {
  bool normalised = e.ival == 1;
  if (!normalised && !arity(e, 3, 3)) return;
  Expr &m = *e.args[0];
  if (!normalised && (m.kind != ExprKind::Map || !m.args.empty())) {
    error(DiagKind::Semantic, m.range, "find() expects a map without a key, e.g. find(@m, k, $v)");
    return;
  }
  Expr &v = *e.args[normalised ? 1 : 2];
  if (v.kind != ExprKind::Var) {
    error(DiagKind::Semantic, v.range, "find() stores the value in a scratch variable, e.g. find(@m, k, $v)");
    return;
  }
  if (!normalised) {
    m.args.push_back(std::move(e.args[1]));
    e.args.erase(e.args.begin() + 1);
    e.ival = 1;
  }
  if (!keyed_map(m, "find")) return;
  check_map_read_for_delete(m);
  if (m.type.is_none()) return;
  check_expr(m);
  if (m.type.is_none()) return;
  declare_var(v.name, m.type, v.range);
  check_expr(v);
  e.type = Type::boolean();
}

// syscall_name(nr): the name of system call nr of x86_64, "Unknown syscall" when it has none.
void Checker::check_syscall_name(Expr &e) {
  if (!arity(e, 1, 1)) return;
  check_expr(*e.args[0]);
  const Type &t = e.args[0]->type;
  if (t.is_none()) return;
  if (!t.is_int()) {
    error(DiagKind::Type, e.args[0]->range, "syscall_name() needs an integer, not " + to_string(t));
    return;
  }
  e.type = Type::string(BTC_SYSCALL_NAME_SIZE);
}

// is_err(p): whether p is an ERR_PTR, an address in -4095..-1.
void Checker::check_is_err(Expr &e) {
  if (!arity(e, 1, 1)) return;
  check_expr(*e.args[0]);
  const Type &t = e.args[0]->type;
  if (t.is_none()) return;
  if (!t.is_int() && t.kind != TypeKind::Pointer) {
    error(DiagKind::Type, e.args[0]->range, "is_err() needs a pointer, not " + to_string(t));
    return;
  }
  e.type = Type::boolean();
}

// signal(sig) / signal_thread(sig): bpf_send_signal(_thread) of a signal name or number 1..64,
// only with --unsafe and in the probe types bpftrace allows.
void Checker::check_signal(Expr &e, bool statement) {
  const std::string fn = e.name + "()";
  if (!arity(e, 1, 1)) return;
  ProbeKind k = cur_->kind;
  bool allowed = k == ProbeKind::Kprobe || k == ProbeKind::Kretprobe || k == ProbeKind::Uprobe ||
                 k == ProbeKind::Uretprobe || k == ProbeKind::Usdt || k == ProbeKind::Tracepoint ||
                 k == ProbeKind::Profile || k == ProbeKind::Fentry || k == ProbeKind::Fexit || k == ProbeKind::Rawtp;
  if (!allowed) {
    error(DiagKind::Semantic, e.range, fn + " can not be used for this probetype " + probe_type_name(k));
    return;
  }
  if (!info_->unsafe) {
    error(DiagKind::Semantic, e.range, fn + " is unsafe. To use you need the --unsafe flag");
    return;
  }
  Expr &a = *e.args[0];
  if (a.kind == ExprKind::String) {
    static const std::pair<const char *, int> kSignals[] = {
        {"SIGHUP", 1},   {"SIGINT", 2},   {"SIGQUIT", 3},  {"SIGILL", 4},   {"SIGTRAP", 5},  {"SIGABRT", 6},
        {"SIGBUS", 7},   {"SIGFPE", 8},   {"SIGKILL", 9},  {"SIGUSR1", 10}, {"SIGSEGV", 11}, {"SIGUSR2", 12},
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
  } else if (auto n = literal_int(a); n && (*n < 1 || *n > 64)) {
    error(DiagKind::Semantic, e.range, fn + " accepts a string literal or an integer between 1 and 64 (inclusive)");
    return;
  }
  check_expr(a);
  if (!a.type.is_none() && !a.type.is_int()) {
    error(DiagKind::Type, e.range, fn + " accepts a string literal or an integer");
    return;
  }
  if (!statement) error(DiagKind::Semantic, e.range, fn + " does not return a value");
  e.type = Type::void_();
}

// cgroupid("path"): the id of the cgroup v2 directory at path on the machine the tool runs on,
// found by the tool as it starts (e.ival = its slot in btc_params.cgroup_id); cgroupid(str($N)):
// the path positional parameter $N gives.
void Checker::check_cgroupid(Expr &e) {
  if (!arity(e, 1, 1)) return;
  Expr &a = *e.args[0];
  std::string path = a.sval;
  if (a.kind == ExprKind::Call && a.name == "str" && a.args.size() == 1 && a.args[0]->kind == ExprKind::Positional) {
    check_positional(*a.args[0], false);  // the text of $N, not a number
    path = "$" + std::to_string(a.args[0]->ival);
  } else if (a.kind != ExprKind::String) {
    error(DiagKind::Type, a.range, "cgroupid() needs a cgroup path as a string literal");
    return;
  }
  auto &paths = info_->cgroupid_paths;
  auto it = std::find(paths.begin(), paths.end(), path);
  if (it == paths.end()) {
    if (paths.size() >= BTC_MAX_CGROUPIDS) {
      error(DiagKind::Semantic, e.range,
            "too many cgroupid() paths (at most " + std::to_string(BTC_MAX_CGROUPIDS) + ")");
      return;
    }
    it = paths.insert(paths.end(), path);
  }
  e.ival = it - paths.begin();
  e.type = Type::integer(8, false);
}

// path(p[, size]): bpf_d_path of a struct path (a pointer to one, or a struct path member),
// which the kernel allows only in tracing programs: fentry, fexit and iter probes.
void Checker::check_path(Expr &e) {
  if (!arity(e, 1, 2)) return;
  uint32_t size = str_size_;
  if (e.args.size() == 2) {
    auto n = literal_int(*e.args[1]);
    if (!n || *n < 0) {
      error(DiagKind::Semantic, e.range, "path: invalid size value, need non-negative literal");
      return;
    }
    size = static_cast<uint32_t>(std::min<int64_t>(*n, str_size_));
  }
  ProbeKind k = cur_->kind;
  if (k != ProbeKind::Fentry && k != ProbeKind::Fexit && k != ProbeKind::Iter) {
    error(DiagKind::Semantic, e.range, "The path function can only be used with 'fentry', 'fexit', 'iter' probes");
    return;
  }
  Expr &a = *e.args[0];
  check_expr(a);
  const Type &t = a.type;
  if (t.is_none()) return;
  if (t.kind != TypeKind::Pointer && t.kind != TypeKind::Record) {
    error(DiagKind::Type, a.range, "path() only supports pointer or C type argument (" + to_string(t) + " provided)");
    return;
  }
  if (t.kind == TypeKind::Record && !addressable(a)) {
    error(DiagKind::Type, a.range, "path() needs a struct path member or a pointer to one");
    return;
  }
  if (size == 0) size = 1;
  cur_->tracing_helpers = true;  // no kprobe twin: bpf_d_path is for tracing programs only
  e.type = Type::string(size);
}

}  // namespace btc::checker_internal
