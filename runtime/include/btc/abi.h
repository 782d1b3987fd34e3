/* btc ABI: the contract between generated BPF code, generated host tables and the runtime.
 *
 * This header is plain C and is included from three places:
 *   - BPF C emitted by the compiler (through templates/btc_bpf.h),
 *   - host C++ emitted by the compiler (the tables describing one tool),
 *   - the runtime library (runtime/src).
 * Everything here is data layout; no logic lives in this file.
 */
#ifndef BTC_ABI_H
#define BTC_ABI_H

#ifdef __bpf__
typedef __u32 btc_u32;
typedef __u64 btc_u64;
typedef __s64 btc_s64;
typedef __s32 btc_s32;
#else
#include <stddef.h>
#include <stdint.h>
typedef uint32_t btc_u32;
typedef uint64_t btc_u64;
typedef int64_t btc_s64;
typedef int32_t btc_s32;
#endif

/* ---------------------------------------------------------------------------
 * Ring buffer records (BPF -> user space). Every record starts with this
 * header; the payload layout depends on kind. Records are 8-byte aligned.
 * ------------------------------------------------------------------------- */
enum btc_event_kind {
  BTC_EV_PRINTF = 1,    /* id = printf table index; payload = args at descriptor offsets */
  BTC_EV_EXIT = 2,      /* id = exit code */
  BTC_EV_PRINT_MAP = 3, /* id = map table index: print the map now */
  BTC_EV_CLEAR_MAP = 4, /* id = map table index: delete every element */
  BTC_EV_ZERO_MAP = 5,  /* id = map table index: zero every value */
  BTC_EV_MAP_FULL = 6,  /* id = map table index | script line << BTC_MAP_FULL_LINE_SHIFT (line 0:
                           unknown): an update failed because the map is full */
};

struct btc_event_hdr {
  btc_u32 kind;
  btc_u32 id;
};

/* skboutput(path, skb, len, offset): bpf_skb_output sends each packet to this perf event array
 * (a slot per CPU), as a struct btc_skb_record followed by the skb's first len bytes (and the
 * perf sample's padding). The object has the map only when the script calls skboutput. */
#define BTC_SKB_EVENTS_NAME "btc_skb_events"

struct btc_skb_record {
  btc_u64 boot_ns; /* bpf_ktime_get_boot_ns() when sent */
  btc_u32 id;      /* the call: index in btc_tool.skb_outputs */
  btc_u32 len;     /* packet bytes that follow */
};

/* Name of the ring buffer map and of the lost-event counter (a global u64
 * in .bss incremented by BPF when a record cannot be reserved or sent). */
#define BTC_RINGBUF_NAME "btc_events"
#define BTC_LOST_VAR_NAME "btc_lost_events"
/* Kernels without BPF_MAP_TYPE_RINGBUF (before 5.8): the runtime turns btc_events into a
 * BPF_MAP_TYPE_PERF_EVENT_ARRAY and sets btc_params.perf_buffer; BPF then builds each record in
 * this per-CPU buffer (one element, as big as the script's largest record) and sends it with
 * bpf_perf_event_output, counting a failed output in btc_lost_events like a failed reserve. */
#define BTC_EVENT_BUF_NAME "btc_event_buf"

/* ---------------------------------------------------------------------------
 * Run-time parameters. The generated BPF object holds exactly one global of
 * this type, `btc_params`, in its own section ".rodata.btc_params"; the runtime
 * fills it (bpf_map__initial_value) between open and load.
 * ------------------------------------------------------------------------- */
#define BTC_MAX_PARAMS 16
#define BTC_PARAM_STR_SIZE 64
#define BTC_PARAMS_SECTION ".rodata.btc_params"
#define BTC_MAP_FULL_LINE_SHIFT 12 /* BTC_EV_MAP_FULL ids: 12 bits of map index, 20 of line */
#define BTC_MAX_KSYMS 32 /* distinct kaddr() symbols of one script */
#define BTC_SIGNAL_NAME_SIZE 64 /* signal_name(): a string of this size (btc_signal_name in BPF) */
#define BTC_MAX_KFUNC_QUERIES 16 /* distinct kfunc_exist() / kfunc_allowed() questions of one script */
#define BTC_SYSCALL_NAME_SIZE 64 /* syscall_name(): a string of this size (btc_syscall_name in BPF) */
#define BTC_MAX_CGROUPIDS 16 /* distinct cgroupid() paths of one script */

struct btc_params {
  btc_u64 start_ns;   /* bpf_ktime_get_ns() at tool start (for `elapsed`) */
  btc_u64 nparams;    /* $# */
  btc_u64 self_pid;   /* pid of the tool itself */
  btc_s64 param_int[BTC_MAX_PARAMS];                  /* $N parsed as integer (0 if not numeric) */
  char param_str[BTC_MAX_PARAMS][BTC_PARAM_STR_SIZE]; /* $N as string */
  btc_u64 filter_pid; /* -p PID (in the tool's pid namespace): probes other than BEGIN/END only fire for it */
  btc_u64 cpid;       /* -c CMD: pid of the child (the `cpid` builtin), 0 otherwise */
  btc_s64 named_int[BTC_MAX_PARAMS];                  /* --name=value parameters (getopt), by index */
  char named_str[BTC_MAX_PARAMS][BTC_PARAM_STR_SIZE];
  btc_u64 ncpus;         /* possible CPUs (the `ncpus` builtin) */
  btc_u64 pidns_dev;     /* the tool's pid namespace (dev, inode of /proc/self/ns/pid) when it is */
  btc_u64 pidns_ino;     /* not the initial one: pid/tid are seen from it; both 0 otherwise */
  btc_u64 tai_offset_ns; /* CLOCK_TAI - CLOCK_BOOTTIME at start (nsecs(sw_tai)) */
  btc_u64 ksym_addr[BTC_MAX_KSYMS]; /* kaddr("name"): address of btc_tool.ksyms[i] on this kernel */
  btc_u64 perf_buffer; /* 1: events go through a perf buffer (BTC_EVENT_BUF_NAME), 0: the ring buffer */
  btc_u64 kfunc_answer[BTC_MAX_KFUNC_QUERIES]; /* 1: "yes" to btc_tool.kfunc_queries[i] on this kernel */
  btc_u64 cgroup_id[BTC_MAX_CGROUPIDS]; /* cgroupid("path"): id of btc_tool.cgroupid_paths[i] on this machine */
  btc_u64 comm_offset; /* offset of comm in task_struct when BPF may read it there (btc_tool.comm_offset);
                          0: comm comes from bpf_get_current_comm() */
};

/* kfunc_exist("f") / kfunc_allowed("f"): bpftrace answers them when it compiles, which is on the
 * machine it traces; btc compiles ahead of time, so the runtime answers them on the target from
 * its vmlinux BTF before load, into btc_params.kfunc_answer (a run-time value in the program). */
struct btc_kfunc_query {
  const char *name;
  btc_u32 prog_type; /* 0: does the kfunc exist; else a BPF_PROG_TYPE_*: may such a program call it */
};

/* ---------------------------------------------------------------------------
 * Value types used in printf arguments, map keys and map values.
 * ------------------------------------------------------------------------- */
enum btc_type_kind {
  BTC_T_INT = 1,   /* signed integer, size 1/2/4/8 */
  BTC_T_UINT = 2,  /* unsigned integer, size 1/2/4/8 */
  BTC_T_STR = 3,   /* NUL-padded char array of `size` bytes; one without a NUL was cut and gets
                      the truncation trailer, unless pad = 1 (a script struct's char array) */
  BTC_T_BOOL = 4,  /* 1 byte */
  BTC_T_KSYM = 5,  /* u64 kernel address, printed symbolized */
  BTC_T_USYM = 6,  /* u64 user address, printed symbolized; size 16: then u64 pid (for symbolization),
                      with 1 + the index of the probe that took it in bits 32..63 (0: unknown) */
  BTC_T_BUF = 7,   /* buf(): u64 length, then up to size - 8 bytes (only `length` of them are shown) */
  BTC_T_KSTACK = 8, /* kstack: s64 stack id in the BTC_STACKS_MAP_NAME map (negative: none); size 8 */
  BTC_T_USTACK = 9, /* ustack: s64 stack id, then u64 pid (seen from the tool) and probe as for BTC_T_USYM; size 16 */
  BTC_T_TIMESTAMP = 10, /* strftime(): u64 ns since boot (CLOCK_BOOTTIME); size 8;
                           pad = index of the strftime format in btc_tool.strings */
  BTC_T_STRERROR = 11,  /* strerror(): s64 errno value, printed as the kernel's message; size 8 */
  BTC_T_USERNAME = 12,  /* username: u64 uid, printed as its name from /etc/passwd ("" if none); size 8 */
  BTC_T_TUPLE = 13,     /* a tuple, printed "(a, b)": pad = index of its element list in btc_tool.tuples */
  BTC_T_INET = 14,      /* ntop(): u64 address family (AF_INET 2 / AF_INET6 10), then 16 address bytes; size 24 */
  BTC_T_MACADDR = 15,   /* macaddr(): 6 bytes (size 8) */
  BTC_T_CGROUP_PATH = 16, /* cgroup_path(): u64 cgroup id, resolved under the cgroup mounts when printed;
                             pad = index of the hierarchy filter (a '*' pattern) in btc_tool.strings */
  BTC_T_PTR = 17,       /* a pointer: u64 address printed in hex ("0x33"); JSON: the number */
  BTC_T_RECORD = 18,    /* a whole struct, printed "{ .a = 1, .b = [2,3] }": pad = index of its member
                           list (offsets from the struct's start, with names) in btc_tool.tuples */
  BTC_T_ARRAY = 19,     /* an array, printed "[1,2,3]": pad = index of a one-element list in btc_tool.tuples
                           describing element 0; size / that element's size = the element count */
  BTC_T_ENUM = 20,      /* an enum value: integer of `size` bytes printed as its enumerator's name (the number
                           when it has none); JSON: the number; pad = index in btc_tool.strings of the
                           enumerators, one "VALUE NAME\n" line each */
  BTC_T_NONE = 21,      /* a value of no type bpftrace computes with (a float / double struct member):
                           printed null, in text and JSON; the runtime decodes it like any unknown kind */
};

/* Stack fields (BTC_T_KSTACK/USTACK): btc_field.pad = frame limit | (mode << 16),
 * mode 0 = bpftrace, 1 = perf, 2 = raw, 3 = build_id (bpftrace's StackMode). A stack id is its low 32 bits;
 * when the script uses len() of a stack, bits 32 and up hold the stack's depth. */
/* A limit with this bit set is positional parameter $(limit & ~BTC_STACK_LIMIT_PARAM), read by the
 * runtime when the tool starts (ustack($1)); it must then be in 1..BTC_MAX_STACK_FRAMES. */
#define BTC_STACK_LIMIT_PARAM 0x8000
#define BTC_STACKS_MAP_NAME "btc_stacks"
#define BTC_MAX_STACK_FRAMES 127
enum btc_stack_mode { BTC_STACK_BPFTRACE = 0, BTC_STACK_PERF = 1, BTC_STACK_RAW = 2, BTC_STACK_BUILD_ID = 3 };
/* ustack(build_id) ids index this map instead: (build id, file offset) frames, 32 bytes each
 * (the kernel's struct bpf_stack_build_id). */
#define BTC_BUILD_ID_STACKS_MAP_NAME "btc_build_id_stacks"

/* dw_ustack: user stacks unwound in BPF with the target process's .eh_frame tables (DWARF call
 * frame information), which the runtime builds at start (--dwarf-pid PID, else the -c child run to
 * its entry point, else -p PID) and writes into the maps below. Its ids have BTC_DW_STACK_ID_FLAG
 * set and index BTC_DW_STACKS_MAP_NAME (a hash of u32 id -> u64 frames[BTC_MAX_STACK_FRAMES],
 * zero-padded) instead of btc_stacks; the id is a hash of the frames (the next ids when another
 * stack has it), so equal stacks get equal ids. */
#define BTC_DW_STACK_ID_FLAG 0x40000000
#define BTC_DW_STACKS_MAP_NAME "btc_dw_stacks"
#define BTC_DW_ROWS_MAP_NAME "btc_dw_rows"       /* ARRAY of struct btc_dw_row */
#define BTC_DW_MODULES_MAP_NAME "btc_dw_modules" /* ARRAY of struct btc_dw_module */
#define BTC_DW_INFO_MAP_NAME "btc_dw_info"       /* ARRAY of one struct btc_dw_info */
#define BTC_DW_MAX_ROWS 131072
#define BTC_DW_MAX_MODULES 64
/* BTC_DW_CFA_PLT: a PLT stub's rule, CFA = rsp + 8, plus 8 when (ip & 15) >= cfa_offset. */
enum btc_dw_cfa { BTC_DW_CFA_NONE = 0, BTC_DW_CFA_RSP = 1, BTC_DW_CFA_RBP = 2, BTC_DW_CFA_PLT = 3 };

/* From pc (a virtual address of the module's file) up to the next row: CFA = cfa_reg + cfa_offset,
 * the return address is at CFA - 8, the caller's rbp at CFA + rbp_offset when rbp_saved (else
 * unchanged). cfa_reg BTC_DW_CFA_NONE: no rule btc can follow, unwinding stops. */
struct btc_dw_row {
  btc_u64 pc;
  btc_s32 cfa_offset;
  unsigned char cfa_reg; /* enum btc_dw_cfa */
  unsigned char rbp_saved;
  signed short rbp_offset;
};

/* An executable mapping of the target process: run-time addresses [start, end), file virtual
 * address = run-time address - bias; its rows are rows[first_row, first_row + nrows), sorted by pc.
 * Modules are sorted by start. */
struct btc_dw_module {
  btc_u64 start, end, bias;
  btc_u32 first_row, nrows;
};

struct btc_dw_info {
  btc_u32 tgid;     /* the process the tables describe (its pid as the tool sees it, like `pid`) */
  btc_u32 nmodules; /* 0: no tables */
};

struct btc_field {
  btc_u32 type;   /* enum btc_type_kind */
  btc_u32 offset; /* byte offset inside the record/key/value */
  btc_u32 size;   /* byte size */
  btc_u32 pad;    /* BTC_T_INT/UINT: 0, or a struct member that is a bitfield: width << 8 | shift
                   * (the value is the size-byte unit at offset, shifted right, masked to width bits) */
};

#ifndef __bpf__
/* ---------------------------------------------------------------------------
 * Host-side tables. Generated host code defines one `btc_tool` and passes it
 * to btc_main(). Only POD data here.
 * ------------------------------------------------------------------------- */

/* The elements of a BTC_T_TUPLE field; their offsets are relative to the tuple's start.
 * Elements may be tuples themselves (their pad names another list). The same lists describe
 * the members of BTC_T_RECORD fields (then names holds nfields member names) and the element
 * of BTC_T_ARRAY fields. */
struct btc_field_list {
  btc_u32 nfields;
  const struct btc_field *fields;
  const char *const *names; /* BTC_T_RECORD members only; NULL otherwise */
};

struct btc_printf_desc {
  const char *fmt;               /* the format string as written in the script (escapes resolved) */
  btc_u32 nargs;
  const struct btc_field *args;  /* where each argument sits in the payload after btc_event_hdr */
  btc_u32 severity;              /* enum btc_printf_severity */
  const char *source_loc;        /* "file.bt:LINE:COL-ENDCOL" for warnf/errorf; may be NULL */
  const char *const *arg_names;  /* BTC_SEV_PRINT of a record: its nargs field names; NULL otherwise */
  const char *trailer;           /* warnf/errorf text output: lines printed after the message (the source
                                  * line of a run-time check, "expanded from" macro call sites); may be NULL */
};

/* What a printf-table entry stands for. */
enum btc_printf_severity {
  BTC_SEV_PRINTF = 0, /* printf(fmt, ...) */
  BTC_SEV_WARNF = 1,  /* warnf(fmt, ...) */
  BTC_SEV_ERRORF = 2, /* errorf(fmt, ...) */
  BTC_SEV_PRINT = 3,  /* print(value): one argument, or a tuple's elements; text output = fmt ("%s\n",
                         "(%s, %s)\n" etc.), JSON = a "value" record (a tuple's elements as an array) */
  BTC_SEV_TIME = 4,   /* time(fmt): no arguments; fmt is the strftime format of the current local time */
  BTC_SEV_SYSTEM = 5, /* system(fmt, ...): fmt formatted like printf is run with `sh -c`; its output is printed */
  BTC_SEV_CAT = 6,    /* cat(fmt, ...): fmt formatted like printf names a file whose contents are printed */
  BTC_SEV_JOIN = 7,   /* join(argv[, sep]): fmt = sep; args = string slots, joined up to the first empty one */
};

enum btc_map_kind {
  BTC_MAP_PLAIN = 1, /* @x = expr;   value = one btc_field (int or str)  */
  BTC_MAP_COUNT = 2, /* per-CPU u64, summed */
  BTC_MAP_SUM = 3,   /* per-CPU s64, summed */
  BTC_MAP_MIN = 4,   /* per-CPU struct btc_minmax, min over CPUs where set */
  BTC_MAP_MAX = 5,   /* per-CPU struct btc_minmax, max over CPUs where set */
  BTC_MAP_AVG = 6,   /* per-CPU struct btc_avg, merged total/count */
  BTC_MAP_STATS = 7, /* per-CPU struct btc_avg, printed as count/average/total */
  BTC_MAP_HIST = 8,  /* per-CPU u64 counts; key = user key + u64 bucket index (last 8 bytes) */
  BTC_MAP_LHIST = 9, /* per-CPU u64 counts; key = user key + u64 bucket index (last 8 bytes) */
  BTC_MAP_TSERIES = 10, /* per-CPU struct btc_tseries; key = user key + u64 bucket (epoch % num_intervals,
                           last 8 bytes); value.type says whether the values are signed */
};
/* A key-less HIST/LHIST map that BPF code only adds to is instead a BPF_MAP_TYPE_PERCPU_ARRAY with
 * one element (key u32 0): word 0 is non-zero once the histogram was added to, word 1 + i is the
 * count of bucket i. The runtime tells the two forms apart by the BPF map type. */
/* Bucket indexes are bpftrace's:
 *   hist(n, k):  n < 0 -> 0; n <= (1<<k)-1 -> n + 1; otherwise with l = index of the leftmost 1 bit of n
 *                (bit 0 = 0) minus k and x = the k bits after it: ((l + 1) << k) + x + 1.
 *                With k = 0: 0 -> 1, 1 -> 2, 2..3 -> 3, 4..7 -> 4, ...
 *   lhist(n, min, max, step): n < min -> 0; n > max -> 1 + (max - min) / step; else 1 + (n - min) / step.
 */

struct btc_map_desc {
  const char *name;       /* "@x" or "@" */
  const char *bpf_name;   /* name of the BPF map in the object */
  btc_u32 kind;           /* enum btc_map_kind */
  btc_u32 percpu;         /* 1 when the BPF map is a per-CPU hash */
  btc_u32 key_size;       /* total key size in bytes (incl. the bucket index for hist/lhist) */
  btc_u32 nkeys;          /* number of user key fields; 0 = scalar map (key is a u64 0) */
  const struct btc_field *keys;
  struct btc_field value; /* PLAIN: the value's type; aggregates: size of one per-CPU value */
  btc_s64 lhist_min, lhist_max, lhist_step; /* LHIST only */
  btc_u32 hist_bits;      /* HIST only: hist(n, k) second argument, default 0 */
  /* Appended later; generated code that predates a field leaves it zero. */
  btc_u64 tseries_interval_ns;   /* TSERIES only: tseries(n, interval_ns, num_intervals[, agg]) */
  btc_u32 tseries_num_intervals;
  btc_u32 tseries_agg;           /* enum btc_tseries_agg */
  /* LHIST only: N when lhist_min / lhist_max / lhist_step is positional parameter $N (then the BPF
   * code reads it from btc_params.param_int and the runtime takes the value from there); 0 when
   * the field above is final. */
  btc_u32 lhist_params[3];
  /* PLAIN maps: 1 when BPF's delete() only clears a live word, the u64 that ends each BPF value
   * (compiler/check/soft_delete.h); entries whose live word is 0 do not exist. */
  btc_u32 soft_delete;
};

#endif /* !__bpf__ */

/* Per-CPU value layouts of aggregates (BPF and host agree on these). */
struct btc_minmax {
  btc_s64 value;
  btc_u64 is_set;
};

struct btc_avg {
  btc_s64 total;
  btc_u64 count;
};

/* One tseries() bucket. epoch = the time (CLOCK_TAI, ns) / interval_ns when it was last written
 * (0: never). Without an aggregation function value is the last value written and meta the time
 * it was written; with one, both restart when a new epoch reaches the bucket: avg keeps the sum
 * in value and the count in meta, min/max keep meta = 1 once set, sum leaves meta 0. */
struct btc_tseries {
  btc_s64 value;
  btc_u64 meta;
  btc_u64 epoch;
};

enum btc_tseries_agg {
  BTC_TSERIES_LAST = 0, /* no aggregation function: the most recent value */
  BTC_TSERIES_AVG = 1,
  BTC_TSERIES_MAX = 2,
  BTC_TSERIES_MIN = 3,
  BTC_TSERIES_SUM = 4,
};

/* uprobe:*:glob with -p: the `probe` and `func` texts of each match, by attach cookie (an ARRAY
 * map the runtime sizes and fills; defined in BPF only when BTC_UPROBE_NAMES is). */
#define BTC_UPROBE_NAMES_MAP "btc_uprobe_names"
#define BTC_UPROBE_PROBE_SIZE 256
#define BTC_UPROBE_FUNC_SIZE 128
struct btc_uprobe_name {
  char probe[BTC_UPROBE_PROBE_SIZE]; /* "uprobe:/proc/PID/root/PATH:FUNC", cut to fit */
  char func[BTC_UPROBE_FUNC_SIZE];
};

/* usdt:*:provider:name globs with -p: the `probe` text of each match ("usdt:/proc/PID/root/PATH:
 * PROVIDER:NAME" in btc_uprobe_name.probe; func unused), by USDT cookie (bpf_usdt_cookie: libbpf
 * keeps the attach cookie itself). Defined in BPF only when BTC_USDT_NAMES is. */
#define BTC_USDT_NAMES_MAP "btc_usdt_names"

#ifndef __bpf__
enum btc_probe_kind {
  BTC_PROBE_BEGIN = 1,      /* run once at start (BPF_PROG_TEST_RUN of a raw_tp program) */
  BTC_PROBE_END = 2,        /* run once at exit (same mechanism) */
  BTC_PROBE_TRACEPOINT = 3, /* target = category, func = event */
  BTC_PROBE_UPROBE = 4,     /* target = binary path, func = symbol, offset */
  BTC_PROBE_URETPROBE = 5,
  BTC_PROBE_INTERVAL = 6,   /* period_ns; fires on one CPU */
  BTC_PROBE_PROFILE = 7,    /* period_ns; fires on every CPU */
  BTC_PROBE_KPROBE = 8,     /* func = kernel function, offset */
  BTC_PROBE_KRETPROBE = 9,
  BTC_PROBE_RAWTP = 10,     /* func = raw tracepoint name */
  BTC_PROBE_SOFTWARE = 11,  /* func = event name, period = count */
  BTC_PROBE_FENTRY = 12,    /* func = kernel function; fallback_prog = kprobe twin (or NULL) */
  BTC_PROBE_FEXIT = 13,     /* func = kernel function; fallback_prog = kretprobe twin (or NULL) */
  BTC_PROBE_HARDWARE = 14,  /* func = event name (cpu-cycles, cache-misses, ...), period = count */
  BTC_PROBE_USDT = 15,      /* target = binary, func = "provider:name" (libbpf's USDT support); target "*"
                             * with globs in func: matched at run time in the -p process's files
                             * (btc_tool.usdt_process_functions) */
  BTC_PROBE_SIGNAL = 16,    /* self:signal:SIGx: run (like BEGIN) each time the tool gets signal `period` */
  BTC_PROBE_ITER = 17,      /* iter:task|task_file|task_vma: func = iterator; runs once over all objects, then the tool ends;
                             * target = pin path: pinned in bpffs instead (its printf output goes to the pinned file) */
  BTC_PROBE_WATCHPOINT = 18, /* offset = address, period = length (1, 2, 4, 8), func = mode ("w", "rw", "x") */
  BTC_PROBE_TEST = 19,       /* test:NAME (target = NAME): run only with --test (BPF_PROG_TEST_RUN of an XDP program) */
  BTC_PROBE_BENCH = 20,      /* bench:NAME (target = NAME): run only with --bench, repeatedly (same mechanism) */
};

struct btc_probe_desc {
  const char *prog_name; /* BPF program (function) name in the object */
  btc_u32 kind;          /* enum btc_probe_kind */
  const char *spec;      /* full attach point as written after expansion, e.g. "tracepoint:syscalls:sys_enter_openat" */
  const char *target;    /* tracepoint category, uprobe binary; NULL otherwise */
  const char *func;      /* tracepoint event, symbol, kernel function; NULL otherwise */
  btc_u64 offset;        /* uprobe/kprobe offset */
  btc_u64 period;        /* interval/profile: period in ns; software: sample period */
  const char *source_loc; /* "file.bt:LINE:COL" of the probe, for diagnostics */
  /* fentry/fexit: a kprobe/kretprobe program with the same body, loaded instead when this
   * kernel cannot load the fentry/fexit one (as libbpf-tools do); kprobe/kretprobe: an
   * fentry/fexit program with the same body, loaded instead when this kernel has no kprobes.
   * NULL when none. */
  const char *fallback_prog;
  /* interval/profile written with a positional parameter (interval:ms:$1): N of that $N, whose
   * value the runtime reads when it attaches; then period holds the unit in ns (1000000 for ms),
   * or 0 for hz (period = 1e9 / $N). 0 when period is final. */
  btc_u32 period_param;
  /* How many probes this program counts as: a tracepoint:syscalls glob folded into one raw
   * tracepoint program (kind RAWTP, func "sys_enter" or "sys_exit") counts its matches, as
   * bpftrace counts them. 0 for every other probe (one). */
  btc_u32 matches;
};

/* A named parameter declared by the script with getopt("name", default): set on the tool's
 * command line as --name=value (or --name for booleans). */
enum btc_param_kind { BTC_PARAM_INT = 1, BTC_PARAM_STR = 2, BTC_PARAM_BOOL = 3 };

struct btc_param_desc {
  const char *name;          /* "name" (without dashes) */
  btc_u32 kind;              /* enum btc_param_kind */
  btc_u32 index;             /* slot in btc_params.named_int / named_str */
  const char *default_value; /* as text */
  const char *description;   /* getopt()'s third argument, or "" */
};

struct btc_tool {
  const char *name;           /* tool name (script basename without .bt) */
  const char *help;           /* the script's leading comment block, may be "" */
  const char *version;        /* btc version string */
  const unsigned char *obj;   /* the BPF ELF object (zlib-compressed when obj_raw_size != 0) */
  size_t obj_size;
  const struct btc_probe_desc *probes;
  btc_u32 nprobes;
  const struct btc_map_desc *maps; /* sorted by name */
  btc_u32 nmaps;
  const struct btc_printf_desc *printfs;
  btc_u32 nprintfs;
  btc_u32 max_param;          /* highest $N the script uses */
  btc_u32 needs_ringbuf;      /* 1 if any program writes events */
  /* Appended later; generated code that predates a field leaves it zero. */
  const struct btc_param_desc *named_params;
  btc_u32 nnamed_params;
  const char *script_hash;    /* FNV-1a 64-bit hash of the script text, 16 hex digits */
  const char *build_kernel;   /* `uname -r` of the build host */
  btc_u32 missing_probes;     /* enum btc_missing_probes: config = { missing_probes = "..." } */
  btc_u32 no_print_maps;      /* config = { print_maps_on_exit = false } */
  const char *const *strings; /* constant strings that fields refer to (strftime formats) */
  btc_u32 nstrings;
  const char *str_trunc_trailer; /* config str_trunc_trailer: appended to cut strings; NULL = ".." */
  const char *const *ksyms;      /* kaddr() symbols, resolved from /proc/kallsyms before load; */
                                 /* "$N": the symbol named by positional parameter $N */
  btc_u32 nksyms;                /* (into btc_params.ksym_addr) */
  const struct btc_field_list *tuples; /* element lists of BTC_T_TUPLE fields, by index */
  btc_u32 ntuples;
  /* C++ demangler for user symbols (btc_cxa_demangle), set only when the script prints user
   * symbols and cpp_demangle is on; returns a malloc'd name or NULL. NULL: no demangling. */
  char *(*demangle)(const char *mangled);
  btc_u64 max_cat_bytes;         /* config max_cat_bytes: cat() prints at most this much; 0 = 10240 */
  /* The formatting of tseries() maps (btc_tseries_formatting), set only when the script has a
   * tseries map, so that other tools do not link it. NULL: none. */
  const struct btc_tseries_formatting *tseries;
  /* Source locations of ustack frames from DWARF line tables (btc_dwarf_source_line), set only
   * when the script prints ustack and show_debug_info is on: writes "DIR/FILE:LINE" of virtual
   * address vaddr of ELF file path into buf; 0 when found. NULL: frames have no location. */
  int (*source_line)(const char *path, btc_u64 vaddr, char *buf, size_t size);
  /* -p PID: a uprobe/usdt binary path as process pid sees it (btc_path_seen_by), set only when
   * the script has uprobe or usdt probes: when pid lives in another mount namespace, writes
   * "/proc/PID/root/PATH" into buf and returns 1; else 0 (the path stays as it is). */
  int (*path_seen_by)(int pid, const char *path, char *buf, size_t size);
  /* The text of ustack(build_id) stacks (btc_build_id_stacks), set only when the script takes
   * one, so that other tools do not link it. NULL: none. */
  const struct btc_build_id_stacks *build_id_stacks;
  /* bpftrace's cache_user_symbols (btc_user_symbol_cache_functions), set only when the script
   * shows user symbols (ustack, usym): decides how their addresses are named. NULL: through the
   * process's mappings (/proc/PID/maps). */
  const struct btc_user_symbol_cache *user_symbol_cache;
  btc_u32 user_symbol_mode; /* enum btc_user_symbol_cache_mode: config cache_user_symbols */
  /* Wildcard uprobes/uretprobes compiled to ONE program for all their matches (see
   * btc_uprobe_multi), and the runtime's code attaching them (&btc_uprobe_multi_functions), set
   * only when the script has such a probe, so that other tools do not link that code. */
  const struct btc_uprobe_multi *uprobe_multi;
  btc_u32 nuprobe_multi;
  const struct btc_uprobe_multi_attacher *uprobe_multi_functions;
  /* obj holds the BPF object zlib-compressed (a compress2 stream of obj_size bytes); this is the
   * object's size once unpacked. 0: obj is the ELF object itself. */
  btc_u64 obj_raw_size;
  /* skboutput() calls, by id (btc_skb_record.id), and the pcap file writer
   * (&btc_pcap_writer_functions), set only when the script calls skboutput, so that other tools
   * do not link that code. NULL: none. */
  const struct btc_skb_output *skb_outputs;
  btc_u32 nskb_outputs;
  const struct btc_pcap_writer *pcap_writer;
  const struct btc_kfunc_query *kfunc_queries; /* answered into btc_params.kfunc_answer */
  btc_u32 nkfunc_queries;
  /* Where the script asks for each kaddr() symbol (by ksyms index), for the error when this
   * kernel lacks it. NULL: the tool names no place. */
  const struct btc_source_ref *ksym_sources;
  /* Bit N-1: the script reads positional parameter $N as an integer (not only as str($N)); the
   * tool refuses to start when such a parameter is given text that is not a number. */
  btc_u32 int_params;
  /* cgroupid() paths, resolved to cgroup ids as the tool starts (into btc_params.cgroup_id);
   * "$N": the path positional parameter $N gives. */
  const char *const *cgroupid_paths;
  btc_u32 ncgroupid_paths;
  /* The code that runs test: and bench: probes (&btc_test_bench_functions), set only when the
   * script has such probes, so that other tools do not link it (nor take --test / --bench).
   * NULL: none. */
  const struct btc_test_bench *test_bench;
  /* The runtime's code attaching usdt:*:provider:name globs (BTC_PROBE_USDT with target "*")
   * over the -p process's files (&btc_usdt_process_functions), set only when the script has such
   * a probe, so that other tools do not link that code. */
  const struct btc_usdt_process_attacher *usdt_process_functions;
  /* dw_ustack's unwind tables (&btc_dw_unwind_functions), set only when the script takes one, so
   * that other tools do not link that code. NULL: none. */
  const struct btc_dw_unwind *dw_unwind;
  /* Nonzero: the script reads cpid (not only has_cpid); the tool started without -c warns once
   * that cpid is zero (bpftrace warns at run time each time such a read runs). */
  btc_u32 reads_cpid;
  /* config max_probes: the tool refuses to start when the probes it would attach, counted as
   * bpftrace counts them, are more: build_time_probes (the probes known at build time; a uprobe
   * glob's matches in one binary count one) plus the matches of globs found at run time. 0: 1024. */
  btc_u64 max_probes;
  btc_u64 build_time_probes;
  /* kfunc_exist() / kfunc_allowed(): the runtime's code answering kfunc_queries into
   * btc_params.kfunc_answer (btc_answer_kfunc_queries), set only when the script asks, so that
   * other tools do not link it. NULL: no questions. */
  void (*answer_kfunc_queries)(const struct btc_tool *tool, struct btc_params *params);
  /* cgroupid(): the runtime's lookup of a cgroup's id (btc_cgroup_id_of), set only when the
   * script calls cgroupid, so that other tools do not link it: the id of cgroup directory `path`
   * into *id and 0; else -1 with the error message in error[size]. */
  int (*cgroup_id_of)(const char *path, btc_u64 *id, char *error, size_t size);
  /* cgroup_path() values (BTC_T_CGROUP_PATH): the runtime's code finding a cgroup's path in the
   * mounted hierarchies (&btc_cgroup_path_functions), set only when the script prints one, so
   * that other tools do not link it. NULL: none. */
  const struct btc_cgroup_path_lookup *cgroup_path_functions;
  /* comm read straight from task_struct (btc_bpf.h, btc_current_comm), which is cheaper than
   * bpf_get_current_comm(), needs where comm is and bpf_get_current_task_btf(). The compiler takes
   * both from the BTF it builds against: comm's offset there (0: no such helper or member) and that
   * BTF's size in bytes. The runtime uses the offset when the kernel is that one: its release is
   * build_kernel and /sys/kernel/btf/vmlinux has that size. */
  btc_u32 comm_offset;
  btc_u64 build_btf_size;
};

/* A place in the script, for run-time errors about it. */
struct btc_source_ref {
  const char *loc;     /* "file.bt:LINE:COL-ENDCOL" */
  const char *context; /* the source line and a line of '~' under the place, each ending in '\n'; may be "" */
};

/* What --test and --bench do (bpftrace's test and bench modes). */
enum btc_run_mode { BTC_RUN_NORMAL = 0, BTC_RUN_TESTS = 1, BTC_RUN_BENCHMARKS = 2 };

struct btc_test_bench {
  /* Runs BEGIN, then every test: (BTC_RUN_TESTS) or bench: (BTC_RUN_BENCHMARKS) probe in script
   * order printing bpftrace's report, then END; returns the tool's exit code. `run` is the
   * runtime's run context: parameters and command-line options (opaque here). */
  int (*run)(const struct btc_tool *tool, void *run, btc_u32 mode);
  /* Without --test / --bench, when nothing else attached: bpftrace's error naming the option. */
  void (*report_unattached)(const struct btc_tool *tool);
};

/* One skboutput(path, skb, len, offset) call: packets go to the pcap file `path` (one file per
 * distinct path), each without its first `offset` bytes. */
struct btc_skb_output {
  const char *path;
  btc_u64 offset;
};

/* Writes pcap files (link type RAW: packets start with the IP header). */
struct btc_pcap_writer {
  /* Creates `path` and writes the file header; NULL with errno set on failure. */
  void *(*open)(const char *path);
  /* Appends one packet captured at realtime_ns (ns since the epoch); 0 on success. */
  int (*write)(void *file, btc_u64 realtime_ns, const void *packet, btc_u32 size);
  void (*close)(void *file);
};

/* How ustack and usym frames are symbolized (bpftrace's cache_user_symbols). */
enum btc_user_symbol_cache_mode {
  BTC_USYMS_DEFAULT = 0,     /* per_program when the tool runs a command (-c) or ASLR is off, else per_pid */
  BTC_USYMS_PER_PID = 1,     /* through the process's mappings (/proc/PID/maps) */
  BTC_USYMS_PER_PROGRAM = 2, /* every address as a virtual address of the process's executable, or of
                              * the probe's binary once the process is gone */
  BTC_USYMS_NONE = 3         /* like per_pid (btc's only cache is of the mappings it read) */
};

/* A wildcard uprobe (uprobe:BIN:glob*) whose matches share one program: the runtime attaches it
 * to every function as one uprobe_multi link where the kernel has them (6.6+), else as one
 * uprobe per function, each with attach cookie i for funcs[i]. The program reads the cookie
 * (bpf_get_attach_cookie) to know which match fired (the `probe` and `func` builtins). */
struct btc_uprobe_multi {
  btc_u32 probe;            /* index in btc_tool.probes (kind UPROBE/URETPROBE, target = binary) */
  btc_u32 nfuncs;
  const char *const *funcs; /* the matched functions, by cookie */
  /* uprobe:*:glob (non-NULL, nfuncs 0): the matches are the functions of the files the -p
   * process maps, found at run time; the program reads the fired match's names from
   * BTC_UPROBE_NAMES_MAP at its attach cookie. */
  const char *glob;
};

/* What a probe that cannot attach on this kernel does (bpftrace's missing_probes). */
enum btc_missing_probes {
  BTC_MISSING_ERROR = 0, /* one line, exit 1 (default) */
  BTC_MISSING_WARN = 1,  /* one warning line, keep going with the others */
  BTC_MISSING_IGNORE = 2 /* keep going silently */
};

#ifdef __cplusplus
extern "C" {
#endif
/* The runtime's entry point: parses the tool's command line, loads, attaches,
 * runs the event loop, prints maps at exit. Returns the process exit code. */
int btc_main(const struct btc_tool *tool, int argc, char **argv);
/* The C++ demangler that btc_tool.demangle may point at (linked only when referenced). */
char *btc_cxa_demangle(const char *mangled);
/* What btc_tool.tseries may point at (linked only when referenced); defined by the runtime. */
extern const struct btc_tseries_formatting btc_tseries_functions;
/* The DWARF line-table reader that btc_tool.source_line may point at (linked only when referenced). */
int btc_dwarf_source_line(const char *path, btc_u64 vaddr, char *buf, size_t size);
/* What btc_tool.path_seen_by may point at (linked only when referenced). */
int btc_path_seen_by(int pid, const char *path, char *buf, size_t size);
/* What btc_tool.build_id_stacks and btc_tool.user_symbol_cache may point at (linked only when
 * referenced); defined by the runtime. */
extern const struct btc_build_id_stacks btc_build_id_stack_functions;
extern const struct btc_user_symbol_cache btc_user_symbol_cache_functions;
/* What btc_tool.pcap_writer points at (linked only when referenced); defined by the runtime. */
extern const struct btc_pcap_writer btc_pcap_writer_functions;
/* What btc_tool.uprobe_multi_functions points at (linked only when referenced); defined by the runtime. */
extern const struct btc_uprobe_multi_attacher btc_uprobe_multi_functions;
extern const struct btc_test_bench btc_test_bench_functions;
/* What btc_tool.usdt_process_functions points at (linked only when referenced); defined by the runtime. */
extern const struct btc_usdt_process_attacher btc_usdt_process_functions;
/* What btc_tool.dw_unwind points at (linked only when referenced); defined by the runtime. */
extern const struct btc_dw_unwind btc_dw_unwind_functions;
/* What btc_tool.answer_kfunc_queries and btc_tool.cgroup_id_of point at (linked only when referenced). */
void btc_answer_kfunc_queries(const struct btc_tool *tool, struct btc_params *params);
int btc_cgroup_id_of(const char *path, btc_u64 *id, char *error, size_t size);
/* What btc_tool.cgroup_path_functions points at (linked only when referenced); defined by the runtime. */
extern const struct btc_cgroup_path_lookup btc_cgroup_path_functions;
#ifdef __cplusplus
}
#endif
#endif /* !__bpf__ */

#endif /* BTC_ABI_H */
