// The BPF C emitter's class, shared by the files that implement it (one per concern:
// declarations, statements, loops, tuples, output, maps, integer expressions, memory reads,
// strings). Each probe becomes one BPF program; kernel types are read with CO-RE relocations.
#pragma once

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "ast/ast_dump.h"
#include "btc/abi.h"
#include "emit/bpf_emitter.h"
#include "emit/c_text.h"
#include "emit/layout.h"
#include "emit/tuple_structs.h"

namespace btc::bpf_emitter_internal {

using ast::Expr;
using ast::ExprKind;
using ast::Stmt;
using ast::StmtKind;

// x86_64 struct pt_regs slots (u64 index): stable user ABI, identical in the kernel.
inline constexpr int kRegArg[6] = {14, 13, 12, 11, 9, 8};  // rdi rsi rdx rcx r8 r9
inline constexpr int kRegRet = 10;                         // rax
inline constexpr int kRegCs = 17;                          // cs: its low 2 bits are the privilege level

inline std::string int_ctype(const Type &t) {
  return t.is_int() && t.is_signed && t.kind != TypeKind::Bool ? "__s64" : "__u64";
}

// ustack and usym values carry the pid whose mappings name their addresses: two u64 slots (see
// BpfEmitter::store_slot) wherever they are stored, map keys and values included.
inline bool holds_user_address(const Type &t) { return t.kind == TypeKind::Ustack || t.kind == TypeKind::Usym; }

// A string value in C: an lvalue of char array type (or a literal) and its size in bytes.
struct StrVal {
  std::string expr;
  uint32_t size;
};

class BpfEmitter {
 public:
  BpfEmitter(const ast::Program &prog, const ProgramInfo &info, const KernelBtf *btf, std::string script,
             std::string c_name)
      : prog_(prog), info_(info), btf_(btf), script_(std::move(script)), c_name_(std::move(c_name)) {}
  std::string run();

 private:
  static constexpr uint64_t kMaxHistSlotBuckets = 2048;  // per-CPU values are limited to 32 KB
  // Temporaries larger than this live in a slot of the per-CPU scratch map, not on the 512-byte
  // BPF stack, and are zeroed and copied with helpers rather than unrolled runs of stores. At 256,
  // two such temporaries in one probe (`$x = str(p, 250); @[$x] = count()`) filled the stack.
  static constexpr uint32_t kStackTempMax = 128;
  // An inline copy from memory clang cannot align itself (a map value, a scratch slot, a table
  // row) becomes one load and store per aligned unit, all loads first: beyond this many units the
  // loads spill past the BPF stack, so longer copies go through a helper instead.
  static constexpr uint32_t kInlineCopyLoads = 16;
  static constexpr const char *kScratchMarker = "/* btc scratch map */\n";

  // A map expression whose keys cannot change while the probe runs gets an id; a key built for it,
  // or the value read through it, is reused by later uses of the same id in the same or an inner C
  // scope. Reads are forgotten when the map is written or deleted from, and at loops (a write later
  // in the loop body would make the value stale on the next iteration).
  struct Reuse {
    std::string map, id, var;
    int scope;
    bool is_read;
    std::string entry;  // a read of a live-word map: the entry pointer it looked up (may be 0)
  };
  struct ForgetReadsAtExit {  // for functions that write a map and return early
    BpfEmitter *emitter;
    std::string map;
    ~ForgetReadsAtExit() { emitter->forget_reads(map); }
  };

  // A value to read: an expression not evaluated yet, or an lvalue that holds it (with its type
  // as stored; strings at their storage size).
  struct Val {
    const Expr *expr = nullptr;
    std::string lv;
    Type type;
  };

  // Where an lvalue lives: its address as a u64 C expression and whose memory it is.
  struct Place {
    std::string addr;
    AddrSpace space;
  };

  // `base` is a pointer (as a u64 C expression) to `record`; `path` is "a.b" (members reached
  // without further pointer hops), ready to be a BPF_CORE_READ accessor.
  struct CorePath {
    std::string base, record, path;
    std::string typed_base() const { return "((" + record + " *)(" + base + "))"; }
  };

  const ast::Program &prog_;
  const ProgramInfo &info_;
  const KernelBtf *btf_;
  std::string script_, c_name_;
  std::ostringstream out_;
  std::ostringstream body_;
  int indent_ = 1;
  int tmp_ = 0;
  int cur_line_ = 0;  // script line of the statement being emitted (see map_id)
  const ProbeTarget *cur_ = nullptr;
  bool as_kprobe_ = false;  // emitting the kprobe twin of an fentry/fexit program
  bool as_fentry_ = false;  // emitting the fentry/fexit twin of a kprobe/kretprobe program
  TupleStructs tuples_;
  std::string ctx_type_;     // C type of the current program's ctx ("void *", "struct x *")
  int loop_id_ = 0;          // map-loop callbacks so far, in the whole object
  int callback_depth_ = 0;   // > 0 while emitting a loop callback's body
  std::vector<bool> loops_;  // enclosing loops, innermost last: true = C loop, false = callback
  struct LoopVar {
    std::string lv;  // where the body reads it
    Type type;
  };
  std::map<std::string, LoopVar> loop_vars_;    // map-loop variables in scope
  std::map<std::string, uint64_t> hist_slots_;  // see find_hist_slot_maps
  std::vector<Reuse> reuse_;                    // keys built and map values read earlier in the probe
  std::vector<int> scopes_{0};                  // ids of the open C scopes, innermost last
  int next_scope_ = 1;
  uint32_t scratch_next_ = 1;                    // next scratch slot (slot 0 stays zero)
  uint32_t scratch_slots_ = 0;                   // slots the scratch map needs
  uint32_t scratch_size_ = 0;                    // bytes of a slot: the largest big temporary
  std::map<std::string, std::string> big_vars_;  // $variables of the program kept in scratch slots

  // bpf_emitter.cpp: the emitter's entry point and the programs: one BPF function per attach point, with its section.
  static uint32_t ringbuf_pages(uint32_t wanted);
  std::string section(const ProbeTarget &p) const;
  void emit_program(const ProbeTarget &p);
  void reset_line();

  // emit_declarations.cpp: declarations at the top of the BPF C file: types, tracepoint structs, maps, event structs.
  void emit_kernel_types();
  void emit_script_definitions();
  void emit_tracepoint_structs();
  static std::string field_decl(const TracepointField &f);
  std::string tp_struct_name(const ProbeTarget &p) const;
  void emit_maps();
  void find_hist_slot_maps();
  std::string map_value_ctype(const MapInfo &m);
  std::string delete_entry(const Expr &m);
  void emit_printf_structs();
  uint32_t max_event_size() const;
  void emit_tuple_structs();

  // emit_stmt.cpp: statements, scopes, variables and assignments; reuse of keys and map reads within a probe.
  void line_directive(int l);
  static std::string var_name(const std::string &n);
  std::string var_lv(const std::string &n) const;
  bool declared(const std::string &n) const;
  Type var_type(const std::string &n) const;
  void emit_block(const std::vector<ast::StmtPtr> &body);
  void open_scope(const std::string &head);
  void close_scope(const std::string &tail = "}");
  void else_scope();
  static bool stable_key(const Expr &e);
  static std::string reuse_id(const Expr &m);
  const Reuse *find_reuse(const std::string &id, bool is_read) const;
  void forget_reads(const std::string &map);
  static bool moves_composite(const Expr &e);
  void emit_stmt(const Stmt &s);
  void emit_stmt_body(const Stmt &s);
  void c_loop_body(const std::vector<ast::StmtPtr> &body);
  void emit_assign(const Stmt &s);
  void assign_var(const std::string &name, const Expr &rhs);

  // emit_loops.cpp: loops whose bodies become callbacks: for over maps (bpf_for_each_map_elem) and ranges (bpf_loop).
  static bool has_callback_loop(const ast::Probe &probe);
  std::string pointer_decl(const Type &t, const std::string &f);
  void emit_callback_loop(const Stmt &s);
  void fill_loop_key(const MapInfo &m, const Type &t, const std::string &dst);
  void fill_loop_value(const MapInfo &m, const Type &t, const std::string &dst);

  // emit_tuples.cpp: tuple and record values: building, storing, reading from maps, comparing.
  Val val_of(const Expr &e);
  Val block_value(const Expr &e);
  std::vector<Val> elems(const Val &v);
  std::string int_of(const Val &v);
  void store(const std::string &dst, const Type &dt, const Val &src);
  Val evaluated(const Val &v);
  std::string tuple_temp(const Type &t);
  std::string tuple_value(const Type &t, const Expr &e);
  std::string map_tuple_read(const Expr &e);
  std::string tuple_eq(const Val &a, const Val &b);

  // emit_output.cpp: statements that produce output: printf and friends, print(), debugf; events for the runtime.
  void emit_expr_stmt(const Expr &e);
  void emit_printf(const Expr &e);
  void emit_seq_printf(const Expr &e);
  void store_slot(const std::string &dst, const Type &t, const std::string &value);
  void emit_print_value(const Expr &e);
  void emit_print_tuple(size_t id, const Expr &a);
  void emit_print_top_div(const Expr &e);
  void emit_debugf(const Expr &e);

  // emit_maps.cpp: map updates, aggregates, keys and reads.
  static std::string lhist_arg(const Type &t, int i, int64_t literal);
  void emit_aggregate(const Expr &lhs, const MapInfo &m, const Expr &call);
  std::string map_id(const MapInfo &m) const;
  std::string update(const MapInfo &m, const std::string &key, const std::string &val) const;
  std::string build_key(const Expr &m, const std::string *bucket);
  std::string map_value_address(const Expr &m);
  std::string map_read(const Expr &e);
  std::string percpu_value(const MapInfo &m, const std::string &key_ptr);

  // emit_expr.cpp: integer expressions: operators, builtins, increments.
  static std::string binop_c(const std::string &op, const std::string &a, const std::string &b, bool is_signed);
  std::string int_expr(const Expr &e);
  std::string extern_call(const Expr &e);  // a function of an imported .bpf.c
  std::string binary(const Expr &e);
  static uint32_t int_operand_width(const Expr &e);
  std::string checked_division(const Expr &e, const std::string &a, const std::string &b);
  std::string builtin_int(const Expr &e);
  static std::string nsecs_clock(int64_t clock);
  // emit_percpu.cpp: percpu_kaddr(): per-CPU kernel variables as typed ksyms.
  void emit_percpu_externs();
  std::string percpu_kaddr(const Expr &e);
  std::string stack_id(const Type &t) const;
  std::string dw_stack_id(const Expr &e) const;
  std::string function_arg(const std::string &name) const;
  std::string emit_incdec(const Expr &e, bool want_value);

  // emit_memory.cpp: reading kernel and user memory: places, fields through CO-RE, probe-read helpers.
  std::string field_int(const Expr &e);
  static bool core_chain(const Expr &e);
  std::string hoist(const std::string &value);
  uint32_t size_of(const Type &t) const;
  Place place_of(const Expr &e);
  std::string read_scalar(const Place &p, const Type &t, uint32_t size = 0);
  std::string read_helper(AddrSpace space, bool str = false) const;
  std::string read_member(const Expr &e);
  std::string offsetof_expr(const Expr &e);
  CorePath core_path(const Expr &e);
  std::string read_helper(const Type &t, bool str) const;

  // emit_scratch.cpp: temporaries too big for the BPF stack, in per-CPU scratch map slots.
  static bool big(uint32_t size) { return size > kStackTempMax; }
  std::string char_temp(const std::string &prefix, uint32_t n);
  std::string struct_temp(const std::string &prefix, const std::string &ctype, uint32_t size, bool zero);
  void scratch_slot(const std::string &decl, const std::string &p, uint32_t size);
  std::string mem_zero(const std::string &dst, uint32_t n);
  static bool inline_copy(const std::string &src, uint32_t n, uint32_t src_align);
  std::string mem_copy(const std::string &dst, const std::string &src, uint32_t n);
  std::string copy_lvalue(const std::string &dst, const std::string &src, uint32_t size, uint32_t src_align = 1);
  std::string scratch_map_declaration() const;

  // emit_strings.cpp: string-valued expressions and the functions whose bytes the runtime formats (buf, ntop, pton,
  // macaddr, join).
  void copy_string(const std::string &dst, uint32_t dst_size, const StrVal &src, bool zero_first);
  void copy_value(const std::string &dst, uint32_t dst_size, const StrVal &src, const Type &t, bool zero_first);
  static std::string str_eq(const StrVal &a, const StrVal &b);
  StrVal str_expr(const Expr &e);
  StrVal match_text(bool spec);
  std::string syscall_match(const ProbeTarget &p, const std::string &head);
  StrVal runtime_match_text(bool spec);
  std::string string_char(const Expr &e);
  StrVal read_string(const Place &p, uint32_t n);
  StrVal array_cast(const Expr &e);
  StrVal string_resize(const Expr &e);
  StrVal param_string(const std::string &field, uint64_t skip = 0);
  StrVal str_call(const Expr &e);
  StrVal buf_call(const Expr &e);
  StrVal ntop_call(const Expr &e);
  static std::vector<unsigned char> pton_address(const Expr &e);
  StrVal pton_bytes(const Expr &e);
  static std::string pton_as_int(const Expr &e);
  StrVal macaddr_call(const Expr &e);
  // emit_stdlib.cpp: str_concat, strcap, memcmp, find, syscall_name, path.
  StrVal str_concat_call(const Expr &e);
  std::string strcap_expr(const Expr &e);
  StrVal memcmp_operand(const Expr &a);
  std::string memcmp_expr(const Expr &e);
  std::string find_expr(const Expr &e);
  StrVal syscall_name_call(const Expr &e);
  std::string trusted_pointer(const Expr &p);
  StrVal path_call(const Expr &e);
  void emit_join(const Expr &e);

  // small helpers
  void line(const std::string &s) { body_ << std::string(indent_ * 2, ' ') << s << "\n"; }
  std::string tmp(const std::string &prefix = "t") { return "btc_" + prefix + std::to_string(tmp_++); }
  StrVal str_of(const Val &v) { return v.expr ? str_expr(*v.expr) : StrVal{v.lv, v.type.size}; }
  static std::string reg(int slot) { return "(((const __u64 *)ctx)[" + std::to_string(slot) + "])"; }
  uint32_t pointee_size(const Type &p) const { return p.inner.empty() ? 0 : size_of(p.inner[0]); }
  // How many bytes (the NUL included) bpftrace reads for a string of max_strlen `n`: one more than
  // n, so that a string cut at n characters can be told from a shorter one (it has no NUL within
  // its n bytes); from 1024 on, n itself.
  static uint32_t padded_str_read(uint32_t n) { return n < 1024 ? n + 1 : n; }
};

}  // namespace btc::bpf_emitter_internal
