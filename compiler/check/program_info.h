// What the checker learns about a script, passed forward to the emitters as plain data.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ast/ast.h"
#include "btf/tracepoints.h"
#include "types/script_types.h"
#include "types/types.h"

namespace btc {

enum class ProbeKind {
  Begin, End, Tracepoint, Uprobe, Uretprobe, Interval, Profile, Kprobe, Kretprobe, Rawtp, Software,
  Fentry, Fexit, Hardware, Usdt, Signal, Iter, Watchpoint,
  Test, Bench,  // test:NAME / bench:NAME: target = NAME; run only by the tool's --test / --bench
};

// One expanded attach point: becomes exactly one BPF program.
struct ProbeTarget {
  ProbeKind kind;
  std::string spec;    // normalised, e.g. "tracepoint:syscalls:sys_enter_openat"
  std::string target;  // tracepoint category / uprobe binary
  std::string func;    // tracepoint event / symbol / kernel function / software event
  uint64_t offset = 0;
  std::string symbol;  // uprobe by address or source line: the function symbol holding the address
  // What the `func` builtin prints: the function, or for an address probe the symbol holding it.
  const std::string &func_name() const { return func.empty() ? symbol : func; }
  uint64_t period = 0;  // interval/profile: ns; software: count; watchpoint: length in bytes
  uint32_t period_param = 0;  // interval/profile:UNIT:$N: N (then period is the unit in ns, 0 for hz)
  const ast::Probe *probe = nullptr;
  const ast::AttachPoint *attach = nullptr;
  std::optional<TracepointFormat> tracepoint;  // Tracepoint only
  std::optional<KernelBtf::FunctionProto> proto;  // Fentry/Fexit: typed `args` and `retval`
  bool uses_args = false;                      // the body reads `args` (set by the checker)
  // The body calls helpers only BPF_PROG_TYPE_TRACING programs may (socket_cookie, skboutput): a rawtracepoint
  // is then loaded as tp_btf, and an fentry/fexit gets no kprobe twin (set by the checker).
  bool tracing_helpers = false;
  // Fentry/Fexit: also emit a kprobe/kretprobe twin the runtime loads where fentry is unavailable.
  bool kprobe_twin() const {
    if (tracing_helpers) return false;
    if (kind == ProbeKind::Fentry) return proto && proto->params.size() <= 6;
    return kind == ProbeKind::Fexit && !uses_args;  // arguments are gone at a kretprobe
  }
  // Kprobe/Kretprobe: the function's argument count when every argument fits one 8-byte slot
  // (so an fentry/fexit twin can read them from its ctx array), else -1.
  int twin_nargs = -1;
  int max_arg = -1;        // highest argN the body reads (set by the checker)
  bool uses_regs = false;  // reg(), ctx or override(): tied to the kprobe's pt_regs (set by the checker)
  // Kprobe/Kretprobe: also emit an fentry/fexit twin the runtime loads where kprobes cannot attach.
  bool fentry_twin() const {
    if (twin_nargs < 0 || uses_regs) return false;
    if (kind == ProbeKind::Kprobe) return offset == 0 && max_arg < twin_nargs;
    return kind == ProbeKind::Kretprobe && max_arg < 0;
  }
  std::string prog_name;                       // BPF function name
  // Uprobe/Uretprobe: the function glob this match was expanded from ("" when none).
  std::string glob;
  // One match of a glob that shares a program: what the `probe` and `func` builtins give when it
  // fires.
  struct Match {
    std::string spec, func;
    unsigned syscall_nr = 0;  // a folded syscall tracepoint's system call (syscall_folded())
  };
  // A glob's matches sharing this ONE program: a uprobe glob's (check/uprobe_multi.h; the runtime
  // gives match i attach cookie i) or a folded syscall glob's (raw_tracepoint below). Empty for
  // every other probe.
  std::vector<Match> multi;
  // uprobe:*:glob: the matches are the functions of the files the -p process maps, found at run
  // time; `probe` and `func` come from a table the runtime fills (abi.h, BTC_UPROBE_NAMES_MAP).
  bool runtime_matches = false;
  // A tracepoint probe whose program runs on this raw tracepoint instead of the tracepoint's perf
  // event ("" for every other probe): a tracepoint whose body does not read its record
  // (check/tracepoint_rawtp.h), or tracepoint:syscalls:sys_enter_GLOB / sys_exit_GLOB, whose
  // matches in `multi` share ONE program on "sys_enter" or "sys_exit" that tells them apart by
  // system call number (check/syscall_multi.h).
  std::string raw_tracepoint;
  bool syscall_folded() const { return !raw_tracepoint.empty() && !multi.empty(); }
  // A uprobe glob's matches sharing this program (the other use of `multi`).
  bool uprobe_folded() const { return raw_tracepoint.empty() && !multi.empty(); }
};

// A map as the script uses it; keys and value type are fixed by the first use.
struct MapInfo {
  std::string name;     // "@x", "@" for the anonymous map
  std::string c_name;   // BPF map name, e.g. "m_x", "m__anon"
  std::vector<Type> keys;
  Type value;           // Int/String for plain maps, an aggregate kind otherwise
  uint32_t max_entries = 4096;
  bool lru = false;  // declared with `let @m = lruhash(N)`
  bool soft_delete = false;  // delete() clears the entry's live word (check/soft_delete.h)
  SourceRange first_use;
  bool scalar() const { return keys.empty(); }
};

struct PrintfInfo {
  std::string fmt;
  std::vector<Type> args;
  int severity = 0;  // 0 printf, 1 warnf, 2 errorf
  SourceRange range;
  std::vector<std::string> arg_names;  // print(record): the field names (JSON shows an object)
  std::string seq_fmt;                 // in a pinned iterator: fmt as bpf_seq_printf takes it
  bool runtime_check = false;          // a run-time check's warning (x / 0, array bounds): bpftrace
                                       // shows the source line under it, unlike warnf's
};

struct ProgramInfo {
  std::vector<ProbeTarget> probes;
  std::vector<MapInfo> maps;                 // sorted by name; position = runtime map id
  std::map<std::string, size_t> map_index;   // name -> position in maps
  std::vector<PrintfInfo> printfs;           // position = runtime printf id
  std::map<const ast::Expr *, size_t> printf_id;
  std::vector<std::string> kernel_records;   // BTF records the BPF C needs ("struct task_struct")
  ScriptTypes script_types;                  // struct/union/enum/typedef definitions written in the script
  uint32_t max_param = 0;                    // highest $N used
  uint32_t int_params = 0;                   // bit N-1: $N is read as an integer (not only as str($N))
  bool reads_cpid = false;                   // the script reads cpid (has_cpid does not count)
  // The probes known at build time as bpftrace counts them for max_probes (a uprobe glob's matches
  // in one binary: one); globs matched at run time are left out (the tool counts their matches).
  uint64_t build_time_probes = 0;
  bool uses_stacks = false;                  // kstack/ustack: the object needs the stack-trace map
  bool uaddr_pie = false;                    // uaddr() in a PIE binary: the object needs btc_file_load_addr()
  bool uses_build_id_stacks = false;        // ustack(build_id): the object needs the build-id stack map
  bool uses_dw_stacks = false;              // dw_ustack: the object needs the unwind tables and their stack map
  bool stack_len = false;                    // len(kstack/ustack): stack ids carry their depth (bits 32..)
  std::vector<std::string> ksyms;            // kaddr() symbols; position = btc_params.ksym_addr slot
  // kfunc_exist()/kfunc_allowed(): (kfunc, 0 or the BPF_PROG_TYPE_* asked about); position =
  // btc_params.kfunc_answer slot, filled on the target (btc_kfunc_query in btc/abi.h).
  std::vector<std::pair<std::string, uint32_t>> kfunc_queries;
  std::vector<SourceRange> ksym_ranges;      // the first kaddr() call of each ksyms entry
  std::vector<std::string> cgroupid_paths;   // cgroupid() paths ("$N": parameter N); position = btc_params.cgroup_id slot
  // percpu_kaddr() variables, each declared in the BPF C as a typed ksym libbpf resolves on the target.
  struct PercpuVar {
    std::string name;
    int btf_type_id = 0;  // the variable's type in the build host's kernel BTF
  };
  std::vector<PercpuVar> percpu_vars;
  // skboutput(path, skb, len, offset) calls with a distinct (path, offset); position = call id.
  std::vector<std::pair<std::string, uint64_t>> skb_outputs;
  // Enums whose values are printed ("enum Foo" -> its enumerators): the runtime shows their names.
  std::map<std::string, std::vector<std::pair<std::string, int64_t>>> enums;
  bool unsafe = false;                       // btc --unsafe: system() is allowed (set before checking)
  // Integer macros of the headers the script #includes (set before checking; driver/header_macros.h).
  std::map<std::string, int64_t> header_macros;
  // Global functions of the imported .bpf.c files (set before checking; driver/extern_functions.h),
  // which the BPF C #includes (c_sources, absolute paths) and scripts call like builtins.
  struct ExternFunction {
    std::vector<std::string> param_names;
    std::vector<Type> params;  // integers, bools and pointers
    Type ret;                  // an integer, a bool, a pointer to an integer or void, or void
    std::string unsupported;   // why btc cannot call it (a parameter or return type it cannot pass)
  };
  std::map<std::string, ExternFunction> extern_functions;
  std::vector<std::string> c_sources;
  std::string tool_name;
  // getopt("name", default) parameters, set on the tool's command line as --name=value.
  struct NamedParam {
    std::string name;
    Type type;           // Bool, Int (int64) or String
    std::string default_value;
    std::string description;  // getopt()'s optional third argument, for --help
  };
  std::vector<NamedParam> named_params;  // position = slot in btc_params.named_int / named_str

  // config = { ... } settings that reach the emitters and the runtime.
  struct Config {
    uint32_t missing_probes = 0;  // enum btc_missing_probes
    bool print_maps_on_exit = true;
    uint32_t max_map_keys = 4096;
    uint32_t max_strlen = 1024;
    uint32_t stack_mode = 0;       // enum btc_stack_mode: kstack/ustack without an explicit mode
    std::string license = "GPL";   // the BPF object's license
    uint32_t perf_rb_pages = 0;    // ring buffer size in pages (0: btc's default)
    uint64_t max_bpf_progs = 1024;
    uint64_t max_probes = 1024;
    std::string str_trunc_trailer = "..";  // appended to strings cut at max_strlen
    uint64_t max_cat_bytes = 10240;        // cat() prints at most this much of a file
    // Every key set in the script, normalised (see check/config_keys.cpp); defaults are not stored.
    std::map<std::string, std::string> settings;
  } config;
  // Types of the $variables of each probe body (a variable keeps one type within a body).
  std::map<const ast::Probe *, std::map<std::string, Type>> var_types;
  // for ($kv : @map): the type of $kv, ((keys...) or key, value); it lives only in the loop body.
  std::map<const ast::Stmt *, Type> loop_var_types;
  // Tuple types only ever laid out in a temporary (memcmp() operands): the emitter defines them too.
  std::vector<Type> temp_tuple_types;

  const MapInfo &map(const std::string &name) const { return maps.at(map_index.at(name)); }
};

}  // namespace btc
