// Reading kernel and user memory: places, fields through CO-RE, probe-read helpers.
#include "emit/bpf_emitter_impl.h"

namespace btc::bpf_emitter_internal {

std::string BpfEmitter::field_int(const Expr &e) {
  if (e.args[0]->type.kind == TypeKind::Context && cur_->proto)
    return "((" + int_ctype(e.type) + ")" + function_arg(e.name) + ")";
  // args.f on a tracepoint: ctx is the record (CO-RE relocated when it is a BTF struct); in folded
  // syscall tracepoints (check/syscall_multi.h) the fields every call has, from btc_syscall_match.
  std::string record = !cur_->syscall_folded() ? "ctx->" : "btc_args.";
  if (e.args[0]->type.kind == TypeKind::Context) return "((" + int_ctype(e.type) + ")" + record + e.name + ")";
  if (!core_chain(e)) return read_member(e);
  // A kernel record member: one CO-RE relocated probe read per '->' hop.
  CorePath p = core_path(e);
  return "((" + int_ctype(e.type) + ")BPF_CORE_READ(" + p.typed_base() + ", " + p.path + "))";
}

// A field chain made only of kernel record members behind pointers: BPF_CORE_READ handles it.
bool BpfEmitter::core_chain(const Expr &e) {
  if (e.kind != ExprKind::Field) return false;
  const Type &b = e.args[0]->type;
  if (b.kind == TypeKind::Pointer) return !b.inner.empty() && b.inner[0].btf_id > 0;
  return b.kind == TypeKind::Record && b.btf_id > 0 && core_chain(*e.args[0]);
}

std::string BpfEmitter::hoist(const std::string &value) {
  std::string t = tmp("a");
  line("__u64 " + t + " = (__u64)(" + value + ");");
  return t;
}

uint32_t BpfEmitter::size_of(const Type &t) const {
  if (t.kind == TypeKind::Record && t.btf_id <= 0)
    if (const ScriptRecord *r = info_.script_types.record(t.name)) return r->size;
  return t.size;
}

// The place of a member, element or dereference. Kernel record members are addressed with
// CO-RE relocations (the BTF types are emitted with preserve_access_index); members of the
// script's records sit at the offsets the checker computed.
BpfEmitter::Place BpfEmitter::place_of(const Expr &e) {
  const Expr &b = *e.args[0];
  if (e.kind == ExprKind::Unary) return {hoist(int_expr(b)), b.type.addr_space};
  Place base;
  if (b.type.kind == TypeKind::Pointer)
    base = {hoist(int_expr(b)), b.type.addr_space};
  else if (b.kind == ExprKind::Field || b.kind == ExprKind::Index || b.kind == ExprKind::Unary)
    base = place_of(b);
  else if (b.kind == ExprKind::Map)  // a struct or array map value, read where it is stored
    base = {map_value_address(b), AddrSpace::Kernel};
  else  // a struct or array value held by the program (a variable, tuple element): its copy
    base = {hoist(str_expr(b).expr), AddrSpace::Kernel};
  if (e.kind == ExprKind::Index) {
    const Type &elem = b.type.inner[0];
    std::string i = int_expr(*e.args[1]);
    if (b.type.kind == TypeKind::Array && info_.printf_id.count(&e)) {  // a run-time index: warn past the end
      i = hoist(i);
      line("if ((__u64)(" + i + ") > " + std::to_string(b.type.count - 1) + "ULL) btc_signal(ctx, BTC_EV_PRINTF, " +
           std::to_string(info_.printf_id.at(&e)) + ");");
    }
    return {hoist(base.addr + " + (__u64)((__s64)(" + i + ") * " + std::to_string(size_of(elem)) + ")"), base.space};
  }
  const Type &rec = b.type.kind == TypeKind::Pointer ? b.type.inner[0] : b.type;
  if (rec.btf_id > 0) return {hoist("&((" + rec.name + " *)(" + base.addr + "))->" + e.name), base.space};
  auto f = info_.script_types.find_field(rec.name, e.name);
  return {hoist(base.addr + " + " + std::to_string(f ? f->offset : 0)), base.space};
}

// Reads an integer or pointer of type `t` at `p`.
std::string BpfEmitter::read_scalar(const Place &p, const Type &t, uint32_t size) {
  if (!size) size = t.kind == TypeKind::Pointer ? 8 : t.size;
  std::string ct = std::string(t.is_signed && t.kind == TypeKind::Int ? "__s" : "__u") + std::to_string(size * 8);
  std::string v = tmp();
  line(ct + " " + v + " = 0;");
  line(read_helper(p.space) + "&" + v + ", sizeof(" + v + "), (const void *)(long)(" + p.addr + "));");
  return "((" + int_ctype(t) + ")" + v + ")";
}

// User pointers use the _user helper, known kernel pointers the _kernel one; memory of unknown
// origin is the probe's (user memory in uprobes, else the legacy helper that tries both).
std::string BpfEmitter::read_helper(AddrSpace space, bool str) const {
  bool uprobe = cur_->kind == ProbeKind::Uprobe || cur_->kind == ProbeKind::Uretprobe;
  std::string suffix = str ? "_str(" : "(";
  if (space == AddrSpace::User || (space == AddrSpace::None && uprobe)) return "bpf_probe_read_user" + suffix;
  if (space == AddrSpace::Kernel) return "bpf_probe_read_kernel" + suffix;
  return "bpf_probe_read" + suffix;
}

// A member read outside a pure CO-RE chain (script records, array elements on the way).
std::string BpfEmitter::read_member(const Expr &e) {
  Place p = place_of(e);
  const Expr &b = *e.args[0];
  const Type &rec = b.type.kind == TypeKind::Pointer ? b.type.inner[0] : b.type;
  auto f = rec.btf_id > 0 ? std::nullopt : info_.script_types.find_field(rec.name, e.name);
  if (!f || !f->bit_size) return read_scalar(p, e.type);
  // A bitfield: read its unit, shift and mask.
  std::string unit = read_scalar(p, Type::integer(f->type.size, false));
  uint64_t mask = f->bit_size >= 64 ? ~0ULL : (1ULL << f->bit_size) - 1;
  return "((" + int_ctype(e.type) + ")(((__u64)" + unit + " >> " + std::to_string(f->bit_offset) + ") & " +
         std::to_string(mask) + "ULL))";
}

// offsetof(): a constant; for kernel records a CO-RE relocated byte offset.
std::string BpfEmitter::offsetof_expr(const Expr &e) {
  bool kernel = e.args.empty() ? !info_.script_types.record(e.cast_type) : e.args[0]->type.btf_id > 0;
  if (!kernel) return std::to_string(e.ival) + "ULL";
  std::string rec = e.args.empty() ? e.cast_type : e.args[0]->type.name;
  return "((__u64)__builtin_preserve_field_info(((" + rec + " *)0)->" + e.sval + ", 0 /* byte offset */))";
}

BpfEmitter::CorePath BpfEmitter::core_path(const Expr &e) {
  const Expr &b = *e.args[0];
  if (b.type.kind == TypeKind::Pointer) {
    // Hoisted: clang refuses a CO-RE read nested inside another one's accessor.
    std::string base = tmp("ptr");
    line("__u64 " + base + " = " + int_expr(b) + ";");
    return {base, b.type.inner[0].name, e.name};
  }
  CorePath p = core_path(b);  // b is itself a record-typed member
  p.path += "." + e.name;
  return p;
}

// The probe-read helper for memory at an address of type t (see str_call for the choice).
std::string BpfEmitter::read_helper(const Type &t, bool str) const {
  std::string suffix = str ? "_str(" : "(";
  if (t.addr_space == AddrSpace::User ||
      (t.addr_space == AddrSpace::None && (cur_->kind == ProbeKind::Uprobe || cur_->kind == ProbeKind::Uretprobe)))
    return "bpf_probe_read_user" + suffix;
  if (t.addr_space == AddrSpace::Kernel) return "bpf_probe_read_kernel" + suffix;
  return "bpf_probe_read" + suffix;
}

}  // namespace btc::bpf_emitter_internal
