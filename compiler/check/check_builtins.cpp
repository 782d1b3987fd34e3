// Checking builtins (pid, comm, args, curtask, ...) and the debug info behind uprobe args.
#include "btc/abi.h"
#include "check/checker_impl.h"

namespace btc::checker_internal {

bool Checker::is_uprobe_args_member(const Expr &a) {
  return a.kind == ExprKind::Field && !a.args.empty() && a.args[0]->kind == ExprKind::Builtin &&
         a.args[0]->name == "args" && a.args[0]->type.kind == TypeKind::Context && a.type.addr_space == AddrSpace::User;
}

void Checker::check_builtin(Expr &e) {
  // bpftrace's standard library spells some builtins __builtin_NAME inside its macros.
  static const std::set<std::string> kWrapped = {"comm",  "cpid",      "cpu",    "elapsed",  "func",  "ncpus",
                                                 "probe", "probetype", "retval", "usermode", "config"};
  if (e.name.rfind("__builtin_", 0) == 0 && kWrapped.count(e.name.substr(10))) e.name = e.name.substr(10);
  const std::string &n = e.name;
  if (n == "pid" || n == "tid" || n == "uid" || n == "gid") {
    e.type = Type::integer(4, false);
  } else if (n == "nsecs" || n == "elapsed" || n == "cpu" || n == "cgroup" || n == "jiffies" || n == "cpid") {
    e.type = Type::integer(8, false);
    if (n == "cpid") info_->reads_cpid = true;
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
    uint32_t mode = info_->config.stack_mode;
    if (n == "kstack" && mode == BTC_STACK_BUILD_ID) {
      diags_.warning(DiagKind::Semantic, e.range,
                     "'build_id' stack mode can only be used for ustack. Falling back to 'raw' mode.");
      mode = BTC_STACK_RAW;
    }
    e.type = stack_type(n == "kstack", mode, BTC_MAX_STACK_FRAMES);
  } else if (n == "dw_ustack") {
    e.type = stack_type(false, info_->config.stack_mode, BTC_MAX_STACK_FRAMES);
    note_dw_ustack(e);
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
    config_as_record(e);
  } else if (n == "has_cpid" || n == "__btc_kfunc_answer") {  // answered when the tool runs (btc_params)
    e.type = Type::boolean();
  } else if (n == "default_str_length") {
    check_default_str_length(e);
  } else if (n == "probe") {
    e.type = Type::string(longest_of_probe([](const ProbeTarget &t) -> size_t {
                            return t.runtime_matches ? BTC_UPROBE_PROBE_SIZE - 1 : t.spec.size();
                          }) +
                          1);
  } else if (n == "func") {
    if (cur_->func_name().empty() ||
        (cur_->kind != ProbeKind::Uprobe && cur_->kind != ProbeKind::Uretprobe && cur_->kind != ProbeKind::Kprobe &&
         cur_->kind != ProbeKind::Kretprobe && cur_->kind != ProbeKind::Fentry && cur_->kind != ProbeKind::Fexit)) {
      error(DiagKind::Semantic, e.range, "func can only be used in kprobe/uprobe probes");
      return;
    }
    e.type = Type::string(longest_of_probe([](const ProbeTarget &t) -> size_t {
                            return t.runtime_matches ? BTC_UPROBE_FUNC_SIZE - 1 : t.func_name().size();
                          }) +
                          1);
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
      error(DiagKind::Type, e.range,
            "retval of " + cur_->func + " has type " + to_string(r) + ", which is not supported yet");
      return;
    }
    e.type = r.kind == TypeKind::Pointer ? r : Type::integer(8, r.is_signed);
  } else if (n == "retval") {
    if (cur_->kind != ProbeKind::Uretprobe && cur_->kind != ProbeKind::Kretprobe) {
      error(DiagKind::Semantic, e.range,
            "retval can only be used in kretprobe and uretprobe probes, not in " + cur_->spec);
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
    cur_->uses_args = true;
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
    error(DiagKind::Name, e.range,
          "unknown identifier '" + n + "'" + (hint.empty() ? "" : ", did you mean " + hint + "?"));
  }
}

// ctx: the probe's context, a kernel pointer to the record its program type receives.
void Checker::check_ctx(Expr &e) {
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
DwarfTypes *Checker::dwarf_of(const std::string &name, std::string *err) {
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
void Checker::import_dwarf_records(const DwarfTypes &dw) {
  for (const auto &[name, rec] : dw.records()) info_->script_types.add_record(rec);
}

// uprobe `args` used as a whole value (printed, stored, a tuple element or a map key): bpftrace
// treats it as a struct of the function's parameters. btc reads each parameter from its
// register, so the value becomes the record (name1 = args.name1, ...), checked as such.
void Checker::uprobe_args_as_value(Expr &e) {
  if (e.kind != ExprKind::Builtin || e.name != "args" || e.type.kind != TypeKind::Context) return;
  if (!cur_ || cur_->kind != ProbeKind::Uprobe || !cur_->proto) return;
  auto make = [&](ExprKind kind, const std::string &name) {
    auto n = std::make_unique<Expr>();
    n->kind = kind;
    n->range = e.range;
    n->name = name;
    return n;
  };
  auto record = make(ExprKind::Record, "");
  for (const auto &p : cur_->proto->params) {
    if (p.name.empty()) continue;
    auto field = make(ExprKind::Field, p.name);
    field->args.push_back(make(ExprKind::Builtin, "args"));
    record->args.push_back(std::move(field));
    record->fields.push_back(p.name);
  }
  if (record->args.empty()) {
    error(DiagKind::Type, e.range, "args of " + cur_->func + " has no named parameters to make a value of");
    e.type = Type::none();
    return;
  }
  e = std::move(*record);
  check_expr(e);
}

// uprobe `args`: the function's parameters from DWARF, as the prototype check_function_arg
// and the emitter read (parameter i is in argument register i).
bool Checker::resolve_dwarf_args(SourceRange r) {
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
std::optional<Type> Checker::dwarf_type(const std::string &spelling) {
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
uint32_t Checker::longest_of_probe(const std::function<size_t(const ProbeTarget &)> &length) {
  size_t n = length(*cur_);
  for (const auto &t : info_->probes)
    if (t.probe == cur_->probe) n = std::max(n, length(t));
  return static_cast<uint32_t>(n);
}

// usermode: the CS register's privilege level in a pt_regs context; BEGIN/END (and signal
// probes) run on behalf of the tool's own process in user mode, as bpftrace's do.
void Checker::check_usermode(Expr &e) {
  ProbeKind k = cur_->kind;
  bool regs_ctx = k == ProbeKind::Kprobe || k == ProbeKind::Kretprobe || k == ProbeKind::Uprobe ||
                  k == ProbeKind::Uretprobe || k == ProbeKind::Usdt || k == ProbeKind::Profile ||
                  k == ProbeKind::Interval || k == ProbeKind::Software || k == ProbeKind::Hardware;
  bool tool_ctx = k == ProbeKind::Begin || k == ProbeKind::End || k == ProbeKind::Signal;
  if (!regs_ctx && !tool_ctx) {
    error(DiagKind::Semantic, e.range,
          "usermode can only be used in kprobe, uprobe, usdt, perf-event, begin and end probes, not in " + cur_->spec);
    return;
  }
  e.type = Type::integer(1, false);
}

// bpftrace's name of a probe type (the probetype builtin).
std::string Checker::probe_type_name(ProbeKind k) {
  switch (k) {
    case ProbeKind::Begin:
    case ProbeKind::End:
    case ProbeKind::Signal:
      return "special";
    case ProbeKind::Test:
      return "test";
    case ProbeKind::Bench:
      return "benchmark";
    case ProbeKind::Tracepoint:
      return "tracepoint";
    case ProbeKind::Uprobe:
      return "uprobe";
    case ProbeKind::Uretprobe:
      return "uretprobe";
    case ProbeKind::Interval:
      return "interval";
    case ProbeKind::Profile:
      return "profile";
    case ProbeKind::Kprobe:
      return "kprobe";
    case ProbeKind::Kretprobe:
      return "kretprobe";
    case ProbeKind::Rawtp:
      return "rawtracepoint";
    case ProbeKind::Software:
      return "software";
    case ProbeKind::Fentry:
      return "fentry";
    case ProbeKind::Fexit:
      return "fexit";
    case ProbeKind::Hardware:
      return "hardware";
    case ProbeKind::Usdt:
      return "usdt";
    case ProbeKind::Iter:
      return "iter";
    case ProbeKind::Watchpoint:
      return "watchpoint";
  }
  return "invalid";
}

// pid(curr_ns|init), tid(curr_ns|init): e.ival = 1 for the initial pid namespace.
void Checker::check_pid_namespace(Expr &e) {
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
void Checker::check_nsecs(Expr &e) {
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

// reg("ip"): an x86_64 register of the probe's struct pt_regs context; e.ival = its u64 slot.
void Checker::check_reg(Expr &e) {
  static const char *const kRegs[] = {"r15", "r14", "r13", "r12", "bp",      "bx", "r11", "r10",   "r9", "r8", "ax",
                                      "cx",  "dx",  "si",  "di",  "orig_ax", "ip", "cs",  "flags", "sp", "ss"};
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

// `#define NAME <integer>` in the script's preamble, else an enumerator from kernel BTF.
std::optional<int64_t> Checker::constant_named(const std::string &name) {
  if (auto e = info_->script_types.enumerator(name)) return e->value;
  for (const auto &def : prog_.c_definitions) {
    std::istringstream in(def);
    std::string hash, directive, id, value;
    if (!(in >> directive) || directive != "#define" || !(in >> id) || id != name) continue;
    std::getline(in, value);
    value.erase(std::remove_if(value.begin(), value.end(),
                               [](char c) { return c == '(' || c == ')' || isspace(static_cast<unsigned char>(c)); }),
                value.end());
    while (!value.empty() && (value.back() == 'U' || value.back() == 'L' || value.back() == 'u' || value.back() == 'l'))
      value.pop_back();
    bool neg = !value.empty() && value[0] == '-';
    char *end = nullptr;
    unsigned long long v = std::strtoull(value.c_str() + (neg ? 1 : 0), &end, 0);
    if (value.empty() || !end || *end) return std::nullopt;
    return neg ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
  }
  if (auto it = info_->header_macros.find(name); it != info_->header_macros.end()) return it->second;
  if (btf_) return btf_->enum_value(name);
  return std::nullopt;
}

Type Checker::stack_type(bool kernel, uint32_t mode, uint32_t limit) {
  info_->uses_stacks = true;
  if (mode == BTC_STACK_BUILD_ID) info_->uses_build_id_stacks = true;
  Type t;
  t.kind = kernel ? TypeKind::Kstack : TypeKind::Ustack;
  t.size = kernel ? 8 : 16;
  t.count = limit;
  t.hist_bits = mode;
  return t;
}

// getopt("name"[, default]): a named parameter of the tool (--name=value). The default's type
// decides the parameter's: none -> bool flag, integer -> int64, string -> string.
void Checker::check_getopt(Expr &e) {
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
      error(DiagKind::Semantic, e.range,
            "too many getopt() parameters (at most " + std::to_string(BTC_MAX_PARAMS) + ")");
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

}  // namespace btc::checker_internal
