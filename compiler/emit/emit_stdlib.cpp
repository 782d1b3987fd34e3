// Functions of bpftrace's standard library that btc implements as builtins (check/check_stdlib.cpp):
// str_concat, strcap, memcmp, find, syscall_name, is_err, cgroupid, path.
#include "emit/bpf_emitter_impl.h"

namespace btc::bpf_emitter_internal {

// str_concat(s1, s2): s1 up to its NUL, then s2, in a string of the call's type size, always
// NUL-terminated. The buffer has room for both whole values, so the copy of s2 at s1's length
// stays inside it; what passes the type size is cut off by the last NUL.
StrVal BpfEmitter::str_concat_call(const Expr &e) {
  StrVal a = str_expr(*e.args[0]);
  StrVal b = str_expr(*e.args[1]);
  uint32_t cap = e.type.size;
  uint32_t room = std::max(cap, round8(a.size + b.size));
  std::string n = tmp("n");
  line("__u64 " + n + " = btc_strlen(" + a.expr + ", " + std::to_string(a.size) + ");");
  line("if (" + n + " > " + std::to_string(a.size) + ") " + n + " = " + std::to_string(a.size) + ";");
  std::string t = char_temp("cat", room);
  line(mem_copy(t, a.expr, a.size));
  line(mem_copy(t + " + " + n, b.expr, b.size));
  line(t + "[" + std::to_string(cap - 1) + "] = 0;");
  return {t, cap};
}

// strcap(x): the capacity the checker found (e.uval), or for a char pointer (e.ival = 1) the
// length of the string it points to, at most max_strlen. bpftrace measures it with kernel reads
// (its strnlen) whatever the pointer's address space, so btc reads it as kernel memory too.
std::string BpfEmitter::strcap_expr(const Expr &e) {
  if (!e.ival) return std::to_string(e.uval) + "ULL";
  const Expr &a = *e.args[0];
  uint32_t most = padded_str_read(info_.config.max_strlen);
  std::string t = char_temp("s", round8(most)), r = tmp("r");
  line("long " + r + " = bpf_probe_read_kernel_str(" + t + ", " + std::to_string(most) + ", (const void *)(long)(" +
       int_expr(a) + "));");
  return "(" + r + " > 0 ? (__u64)(" + r + " - 1) : 0)";
}

// One operand of memcmp(): its bytes in memory and how many. Integers and pointers are stored
// at their own width first; tuples and records are laid out in a local.
StrVal BpfEmitter::memcmp_operand(const Expr &a) {
  if (a.type.kind == TypeKind::Tuple) return {"&" + tuple_value(a.type, a), a.type.size};
  if (a.type.is_string() || a.type.kind == TypeKind::Array) {
    StrVal s = str_expr(a);
    return {s.expr, std::min(s.size, a.type.size)};
  }
  uint32_t size = a.type.size == 1 || a.type.size == 2 || a.type.size == 4 ? a.type.size : 8;
  std::string v = tmp("m");
  line("__u" + std::to_string(size * 8) + " " + v + " = (__u" + std::to_string(size * 8) + ")(" + int_expr(a) + ");");
  return {"&" + v, size};
}

// memcmp(left, right, count): count is capped at the smaller operand, so the loop stays inside both.
std::string BpfEmitter::memcmp_expr(const Expr &e) {
  StrVal a = memcmp_operand(*e.args[0]);
  StrVal b = memcmp_operand(*e.args[1]);
  uint32_t most = std::min(a.size, b.size);
  const Expr &c = *e.args[2];
  if (c.kind == ExprKind::Int) {
    uint64_t n = std::min<uint64_t>(c.uval, most);
    return "((__s64)btc_memcmp(" + a.expr + ", " + b.expr + ", " + std::to_string(n) + "))";
  }
  std::string n = tmp("n");
  line("__u64 " + n + " = (__u64)(" + int_expr(c) + ");");
  line("if (" + n + " > " + std::to_string(most) + ") " + n + " = " + std::to_string(most) + ";");
  return "((__s64)btc_memcmp(" + a.expr + ", " + b.expr + ", (__u32)" + n + "))";
}

// find(@m[key], $v) (normalised by the checker): 1 and $v set to the value when the key is there.
std::string BpfEmitter::find_expr(const Expr &e) {
  const Expr &m = *e.args[0];
  std::string found = tmp("found");
  std::string k = build_key(m, nullptr);
  line("__u64 " + found + " = bpf_map_lookup_elem(&" + info_.map(m.name).c_name + ", &" + k + ") != 0;");
  open_scope("if (" + found + ")");
  assign_var(e.args[1]->name, m);
  close_scope();
  return found;
}

// syscall_name(nr): the name from the table of btc_syscall_names.h.
StrVal BpfEmitter::syscall_name_call(const Expr &e) {
  std::string t = tmp("s");
  line("char " + t + "[" + std::to_string(BTC_SYSCALL_NAME_SIZE) + "] = {};");
  line("btc_syscall_name((__s64)(" + int_expr(*e.args[0]) + "), " + t + ");");
  return {t, BTC_SYSCALL_NAME_SIZE};
}

// A kernel pointer as the verifier must see it for a helper taking a trusted BTF pointer
// (bpf_d_path): an fentry/fexit argument is one as it is; an iterator's ctx member is loaded
// straight from ctx (CO-RE relocated), not probe-read.
std::string BpfEmitter::trusted_pointer(const Expr &p) {
  const Expr *base = p.kind == ExprKind::Field ? p.args[0].get() : nullptr;
  bool ctx_member = base && base->kind == ExprKind::Builtin && base->name == "ctx" &&
                    base->type.kind == TypeKind::Pointer && !base->type.inner.empty();
  if (!ctx_member) return int_expr(p);
  return "((__u64)((" + base->type.inner[0].name + " *)ctx)->" + p.name + ")";
}

// path(p[, size]): bpf_d_path into a string of the call's type size, p a struct path pointer or
// a struct path member X.m of a record pointer X (passed as &X->m). The pointer is tested for
// NULL first: an iterator's may be.
StrVal BpfEmitter::path_call(const Expr &e) {
  const Expr &a = *e.args[0];
  std::string n = std::to_string(e.type.size);
  std::string t = char_temp("path", round8(e.type.size));
  std::string p = tmp("p");
  const Expr *owner = a.type.kind == TypeKind::Record ? a.args[0].get() : nullptr;
  if (owner && owner->type.kind == TypeKind::Pointer && !owner->type.inner.empty()) {
    const std::string &rec = owner->type.inner[0].name;
    line(rec + " *" + p + " = (" + rec + " *)(long)" + trusted_pointer(*owner) + ";");
    line("if (" + p + ") bpf_d_path(&" + p + "->" + a.name + ", " + t + ", " + n + ");");
  } else {
    std::string addr = owner ? place_of(a).addr : trusted_pointer(a);
    line("struct path *" + p + " = (struct path *)(long)(" + addr + ");");
    line("if (" + p + ") bpf_d_path(" + p + ", " + t + ", " + n + ");");
  }
  return {t, e.type.size};
}

}  // namespace btc::bpf_emitter_internal
