// The checker's class, shared by the files that implement it (one per concern: statements,
// maps, expressions, types and fields, builtins, calls, runtime-formatted values). The checker
// walks every probe body once per attach point. Maps are typed by their first assignment
// anywhere in the script, so a first quiet pass collects map types and a second pass reports.
#pragma once

#include <arpa/inet.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "btc/abi.h"
#include "check/attach_points.h"
#include "check/checker.h"
#include "check/config_keys.h"
#include "check/format_check.h"
#include "check/int_promotion.h"
#include "check/unreachable.h"
#include "elf/dwarf_types.h"
#include "elf/elf_symbols.h"
#include "types/tuple_layout.h"
#include "types/type_spelling.h"

namespace btc::checker_internal {

using ast::Expr;
using ast::ExprKind;
using ast::Stmt;
using ast::StmtKind;

inline constexpr uint32_t kStrSize = 64;        // default str() size
inline constexpr size_t kJoinArgs = 16;         // join(): arguments read, as bpftrace
inline constexpr uint32_t kJoinArgSize = 1024;  // join(): bytes per argument, as bpftrace
// str_concat(): the size of the string made, as bpftrace.
inline constexpr uint32_t kStrConcatSize = 1024;

inline const std::set<std::string> kAggregates = {"count", "sum",  "min",   "max",    "avg",
                                                  "stats", "hist", "lhist", "tseries"};

inline TypeKind aggregate_kind(const std::string &fn) {
  if (fn == "count") return TypeKind::Count;
  if (fn == "sum") return TypeKind::Sum;
  if (fn == "min") return TypeKind::Min;
  if (fn == "max") return TypeKind::Max;
  if (fn == "avg") return TypeKind::Avg;
  if (fn == "stats") return TypeKind::Stats;
  if (fn == "hist") return TypeKind::Hist;
  if (fn == "tseries") return TypeKind::Tseries;
  return TypeKind::Lhist;
}

// Values usable as conditions: integers, bools and pointers (non-null is true).
inline bool truthy(const Type &t) { return t.is_int() || t.kind == TypeKind::Pointer; }

// An integer of an enum type ("enum Foo"): printed as its enumerator's name.
inline bool is_enum(const Type &t) { return t.kind == TypeKind::Int && t.name.rfind("enum ", 0) == 0; }

// A bare name such as TCP_ESTABLISHED (no "struct", "*" or "[N]").
inline bool is_identifier(const std::string &s) {
  return !s.empty() && !isdigit(static_cast<unsigned char>(s[0])) &&
         std::all_of(s.begin(), s.end(), [](char c) { return isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

// An integer as a map key/value stores it: 64 bits, keeping its enum.
inline Type widened_int(const Type &t) {
  Type w = Type::integer(8, t.is_signed);
  if (is_enum(t)) w.name = t.name;
  return w;
}

inline bool same_shape(const Type &a, const Type &b) {
  if (a.is_int() && b.is_int()) return true;
  if (a.kind != b.kind) return false;
  if (a.kind == TypeKind::Tuple) {
    if (a.inner.size() != b.inner.size() || a.fields.size() != b.fields.size()) return false;
    for (size_t i = 0; i < a.inner.size(); i++) {
      // Records match by field name, in any order: (a=1, b=2) can be assigned (b=2, a=1).
      size_t j = i;
      if (!a.fields.empty()) j = std::find(b.fields.begin(), b.fields.end(), a.fields[i]) - b.fields.begin();
      if (j == b.inner.size() || !same_shape(a.inner[i], b.inner[j])) return false;
    }
  }
  if (a.is_composite()) return a.size == b.size && to_string(a) == to_string(b);
  if (a.kind == TypeKind::Lhist)
    return a.lhist_min == b.lhist_min && a.lhist_max == b.lhist_max && a.lhist_step == b.lhist_step &&
           std::equal(a.lhist_params, a.lhist_params + 3, b.lhist_params);
  if (a.kind == TypeKind::Hist) return a.hist_bits == b.hist_bits;
  if (a.kind == TypeKind::Tseries)
    return a.tseries_interval == b.tseries_interval && a.tseries_count == b.tseries_count &&
           a.tseries_agg == b.tseries_agg && a.is_signed == b.is_signed;
  return true;
}

// The joins of the integers stored into each variable (per probe), map value and map key field.
struct IntJoins {
  std::map<std::pair<const ast::Probe *, std::string>, IntShape> vars;
  std::map<std::string, IntShape> map_values;
  std::map<std::pair<std::string, size_t>, IntShape> map_keys;
  bool operator==(const IntJoins &) const = default;
};

class Checker {
 public:
  Checker(ast::Program &prog, const KernelBtf *btf, Diagnostics &diags, ProgramInfo *info)
      : prog_(prog), btf_(btf), diags_(diags), info_(info) {}
  bool run();

 private:
  ast::Program &prog_;
  const KernelBtf *btf_;
  Diagnostics &diags_;
  ProgramInfo *info_;
  bool quiet_ = false;
  bool warned_dw_ustack_ = false;  // the unstable-feature warning is given once
  uint32_t str_size_ = kStrSize;
  bool failed_ = false;
  int loop_depth_ = 0;
  int for_depth_ = 0;  // inside for loops (compiled to callbacks: a return cannot carry a value out)
  ProbeTarget *cur_ = nullptr;
  std::map<std::string, std::unique_ptr<DwarfTypes>> dwarf_;  // uprobe binary -> its debug info
  std::map<std::string, std::string> dwarf_errors_;           // why a binary has none
  std::map<std::string, Type> vars_;
  std::set<std::string> loop_vars_;  // variables of map loops in scope (read-only)
  std::map<std::string, MapInfo> maps_;
  // Integer promotion (check_int_stores.cpp): the joins of this pass, those of the previous pass
  // (the types the slots have during this one), and the variables declared with a type (which keep it).
  IntJoins ints_;
  std::optional<IntJoins> ints_before_;
  bool ints_changed_ = false;  // a join grew during this pass
  int int_rounds_ = 0;         // quiet passes run for the joins
  static constexpr int kMaxIntRounds = 8;
  std::map<std::string, Type> typed_vars_;
  std::map<std::string, Type> sized_vars_;  // declared buffer[N] / inet[N] (check_sized_vars.cpp)

  // checker.cpp: the checker's entry point and program-wide steps: config, script types, limits, enums.
  void collect_printed_enums();
  void apply_config();
  void check_program_limits();
  bool redefines_btf_record() const;
  void read_script_types();
  uint32_t size_of(const Type &t) const;
  void error(DiagKind kind, SourceRange r, const std::string &msg);

  // check_stmt.cpp: checking probes, statements, variables and assignments.
  void check_probe(ProbeTarget &t);
  void check_block(std::vector<ast::StmtPtr> &body);
  void check_stmt(Stmt &s);
  void check_for(Stmt &s);
  std::optional<Type> map_loop_type(Expr &m);
  void declare_var(const std::string &name, const Type &value, SourceRange r);
  std::optional<Type> assigned_type(const std::string &name) const;
  void note_var_type(const std::string &name, const Type &t);
  Expr *aggregate_in_blocks(Expr &e);
  void check_assign(Stmt &s);

  // check_int_stores.cpp: integers stored into variables and maps, promoted as in bpftrace.
  void convert_int(const Expr &e, const IntShape &to, const std::string &name, const char *holder, SourceRange r);
  Type store_var_int(const std::string &name, const Expr &rhs, SourceRange r);
  void warn_int_conversion(const IntShape &from, const IntShape &to, SourceRange r);
  Type update_var_int(const std::string &name, bool is_signed, const SourceRange *op_range = nullptr);
  void set_var_type(const std::string &name, const Type &t);
  IntShape store_map_int(const std::string &map, const Expr &rhs, SourceRange r);
  IntShape update_map_int(const std::string &map, bool is_signed, const SourceRange *op_range = nullptr);
  void join_map_keys(const Expr &m, std::vector<Type> &keys);
  std::vector<Type> shown_keys(const Expr &m, std::vector<Type> keys) const;
  std::vector<Type> shown_map_keys(const std::string &map, std::vector<Type> keys) const;
  std::optional<IntShape> map_key_join(const std::string &map, size_t i) const;
  bool next_int_round();

  // check_maps.cpp: checking maps: keys, stored values, reads, aggregates, declarations.
  const Type *lookup_map_value(const Expr &m);
  std::vector<Type> key_types(Expr &m);
  Type key_type(Type t, const Expr &k);
  void assign_map(Expr &m, const Type &stored, SourceRange r);
  static std::string key_list(const std::vector<Type> &keys);
  void check_keys(Expr &m, MapInfo &mi, const std::vector<Type> &keys);
  void check_map_read(Expr &e);
  void check_tseries_call(Expr &e);
  void check_aggregate_call(Expr &e);
  void check_map_arg(Expr &e, const std::string &fn);
  bool keyed_map(const Expr &m, const std::string &fn);
  void check_map_read_for_delete(Expr &m);
  void finish_maps();

  // check_expr.cpp: checking expressions: the dispatcher and the operators.
  void check_expr(Expr &e, bool statement = false);
  void check_positional(Expr &e, bool as_int);
  void tuple_subscript(Expr &e);
  static std::optional<int64_t> fold_int(const Expr &e);
  void check_index(Expr &e);
  static bool addressable(const Expr &e);
  void check_offsetof(Expr &e);
  void check_unary(Expr &e);
  void check_incdec(Expr &e);
  bool check_sized_cast(Expr &e, const Type &t);
  void check_return(Stmt &s);
  std::optional<Type> declared_string(const Stmt &s);
  std::optional<Type> declared_sized_var(const Stmt &s);
  void declare_sized_var(const Stmt &s, const Type &decl);
  bool assign_sized_var(Expr &lhs, const Expr &rhs, SourceRange r);
  bool check_array_cast(Expr &e, Type t);
  void check_binary(Expr &e);
  void note_division_by_zero(const Expr &e);
  void note_runtime_warning(const Expr &e, const char *message);
  void note_array_bounds(const Expr &e);
  void note_dw_ustack(const Expr &e);
  static bool tuple_operand(const Expr &e);

  // check_types.cpp: checking composite values and field access: records, structs, tuples, kernel/script types.
  bool expand_value(Type &t, SourceRange r);
  static bool bitfield_member(const Type &t);
  bool refuse_record_value(const Type &t, const std::string &member, SourceRange r);
  static std::optional<Type> tuple_elem_type(const Expr &a);
  std::optional<Type> kernel_record(const std::string &name, SourceRange r);
  void note_record(const Type &t);
  std::optional<Type> parse_type(const std::string &spelling, SourceRange r);
  std::optional<Type> base_type(const std::string &name);
  static bool is_config_record(const Expr &e);
  void fold_config_field(Expr &e);
  void check_field(Expr &e);
  void check_named_field(Expr &e, Expr &base);
  void check_function_arg(Expr &e);
  void check_record_field(Expr &e, Expr &base);
  void check_script_field(Expr &e, const Type &rec, AddrSpace as);

  // check_builtins.cpp: checking builtins (pid, comm, args, curtask, ...) and the debug info behind uprobe args.
  static bool is_uprobe_args_member(const Expr &a);
  void check_builtin(Expr &e);
  void check_ctx(Expr &e);
  DwarfTypes *dwarf_of(const std::string &name, std::string *err);
  void import_dwarf_records(const DwarfTypes &dw);
  void uprobe_args_as_value(Expr &e);
  bool resolve_dwarf_args(SourceRange r);
  std::optional<Type> dwarf_type(const std::string &spelling);
  uint32_t longest_of_probe(const std::function<size_t(const ProbeTarget &)> &length);
  void check_usermode(Expr &e);
  static std::string probe_type_name(ProbeKind k);
  void check_pid_namespace(Expr &e);
  void check_nsecs(Expr &e);
  void check_reg(Expr &e);
  std::optional<int64_t> constant_named(const std::string &name);
  Type stack_type(bool kernel, uint32_t mode, uint32_t limit);
  void check_getopt(Expr &e);

  // check_calls.cpp: checking function calls: arity, constant arguments, and the rules of each function.
  bool arity(Expr &e, size_t min, size_t max);
  static std::optional<int64_t> literal_int(const Expr &e);
  static bool is_negative_literal(const Expr &e);
  std::optional<int64_t> const_int(Expr &e);
  bool check_int_arg(Expr &e, const std::string &fn);
  void check_call(Expr &e, bool statement);
  static bool is_builtin_call(const Expr &e);
  static bool positional_suffix(const Expr &a);
  void check_address_space(Expr &e);
  void check_write_user(Expr &e);
  void check_extern_call(Expr &e, bool statement);
  void check_kaddr(Expr &e);
  void check_percpu_kaddr(Expr &e);
  void check_uaddr(Expr &e);
  void check_debugf(Expr &e, bool statement);
  void check_print_tuple(Expr &e);
  void check_time(Expr &e, bool statement);
  void check_strftime(Expr &e);

  // check_introspection.cpp: compile-time introspection and assertions: is_str() and the other type
  // predicates, comptime / if comptime, static_assert(), fail(), assert_str(), typeof(expr),
  // default_str_length, config as a record.
  bool check_introspection_call(Expr &e, bool statement);
  void check_type_predicate(Expr &e);
  void check_comptime(Expr &e);
  bool prune_comptime_if(Stmt &s);
  bool prune_comptime_ternary(Expr &e, bool statement);
  void check_static_assert(Expr &e, bool statement);
  void check_fail(Expr &e, bool statement);
  void check_assert_str(Expr &e, bool statement);
  std::optional<Type> typeof_type(Expr &x);
  void check_default_str_length(Expr &e);
  void config_as_record(Expr &e);
  void check_kfunc_query(Expr &e);

  // check_formatted_values.cpp: checking functions whose values the runtime formats: buf, ntop, pton, macaddr,
  // cgroup_path, join.
  bool refuse_pton_value(const Expr &e);
  void check_buf(Expr &e);
  void check_ntop(Expr &e);
  void check_pton(Expr &e);
  void check_macaddr(Expr &e);
  void check_cgroup_path(Expr &e);
  void check_skboutput(Expr &e);
  void check_join(Expr &e, bool statement);

  // check_stdlib.cpp: checking functions of bpftrace's standard library: str_concat, strcap, memcmp, find,
  // syscall_name, is_err, signal/signal_thread, cgroupid, path.
  void check_str_concat(Expr &e);
  void check_strcap(Expr &e);
  void check_memcmp(Expr &e);
  void check_find(Expr &e);
  void check_syscall_name(Expr &e);
  void check_is_err(Expr &e);
  void check_signal(Expr &e, bool statement);
  void check_cgroupid(Expr &e);
  void check_path(Expr &e);

  // small helpers
  // iter:KIND:PIN: the iterator is pinned at PIN (kept in target) instead of run by the tool.
  bool pinned_iter() const { return cur_ && cur_->kind == ProbeKind::Iter && !cur_->target.empty(); }
  static uint32_t literal_size(uint64_t v) { return v <= 0x7f ? 1 : v <= 0x7fff ? 2 : v <= 0x7fffffff ? 4 : 8; }
  // The step of pointer arithmetic on `p` (0 when the pointee has no size).
  uint32_t pointee_size(const Type &p) const { return p.inner.empty() ? 0 : size_of(p.inner[0]); }
  static bool is_pton(const Expr &e) { return e.kind == ExprKind::Call && e.name == "pton"; }
};

}  // namespace btc::checker_internal
