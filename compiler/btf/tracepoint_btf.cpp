// Tracepoint fields from kernel BTF: struct trace_event_raw_<event>, and the syscall fallback.
#include "btf/tracepoint_btf.h"

#include <bpf/btf.h>

#include "btf/btf_internal.h"

namespace btc {

using btf_internal::skip_mods;

static const char kDataLocPrefix[] = "__data_loc_";

// True when array type `id` has plain `char` elements (const/volatile allowed, no typedef).
static bool is_plain_char_array(const struct btf *b, int id) {
  const struct btf_type *t = btf__type_by_id(b, btf_internal::skip_typedefs_and_mods(b, id));
  if (!t || !btf_is_array(t)) return false;
  const struct btf_type *elem = btf__type_by_id(b, skip_mods(b, static_cast<int>(btf_array(t)->type)));
  return elem && btf_is_int(elem) && btf_internal::type_name(b, elem) == "char";
}

// bpftrace turns only `char x[N]` tracepoint fields into strings; u8 x[N] stays an array.
static Type event_field_type(const KernelBtf &kb, int type_id) {
  Type t = kb.to_type(type_id);
  if (t.kind == TypeKind::String && !is_plain_char_array(kb.raw(), type_id)) {
    Type arr;
    arr.kind = TypeKind::Array;
    arr.count = t.size;
    arr.size = t.size;
    const struct btf_type *a = btf__type_by_id(kb.raw(), btf_internal::skip_typedefs_and_mods(kb.raw(), type_id));
    arr.inner.push_back(kb.to_type(static_cast<int>(btf_array(a)->type)));
    t = std::move(arr);
  }
  set_pointer_addr_space(&t, AddrSpace::Kernel);
  return t;
}

// `with_decls`: also spell each field's C declaration (a btf_dump per field: skipped when the format
// file supplies the declarations).
static std::vector<TracepointField> raw_struct_fields(const KernelBtf &kb, const Type &rec, bool with_decls) {
  const struct btf *b = kb.raw();
  const struct btf_type *t = btf__type_by_id(b, rec.btf_id);
  std::vector<TracepointField> fields;
  const struct btf_member *m = btf_members(t);
  for (uint32_t i = 0; i < btf_vlen(t); i++, m++) {
    std::string name = btf__name_by_offset(b, m->name_off);
    int type_id = static_cast<int>(m->type);
    if (i == 0 && name == "ent") continue;                   // struct trace_entry: the common_* fields
    if (name == "__data" && i + 1 == btf_vlen(t)) continue;  // flexible array holding dynamic data
    TracepointField f;
    f.offset = btf_member_bit_offset(t, i) / 8;
    if (with_decls) f.c_decl = kb.c_declaration(type_id, name);
    long long size = btf__resolve_size(b, static_cast<uint32_t>(type_id));
    f.size = size > 0 ? static_cast<uint32_t>(size) : 0;
    if (name.rfind(kDataLocPrefix, 0) == 0) {
      f.name = name.substr(sizeof(kDataLocPrefix) - 1);
      f.is_data_loc = true;
      f.type = Type::integer(f.size ? f.size : 4, false);
    } else {
      f.name = name;
      f.type = event_field_type(kb, type_id);
    }
    fields.push_back(std::move(f));
  }
  return fields;
}

static bool same_layout(const std::vector<TracepointField> &fields, const std::vector<FormatField> &format) {
  if (fields.size() != format.size()) return false;
  for (size_t i = 0; i < fields.size(); i++) {
    const TracepointField &a = fields[i];
    const FormatField &b = format[i];
    if (a.name != b.name || a.offset != b.offset || a.size != b.size || a.is_data_loc != b.is_data_loc) return false;
  }
  return true;
}

std::optional<std::vector<TracepointField>> btf_event_fields(const KernelBtf &kb, const std::string &event,
                                                             const std::vector<FormatField> *format) {
  std::optional<Type> rec = kb.find_record("struct trace_event_raw_" + event);
  if (!rec || rec->btf_id <= 0) return std::nullopt;
  std::vector<TracepointField> fields = raw_struct_fields(kb, *rec, format == nullptr);
  if (!format) return fields;
  if (!same_layout(fields, *format)) return std::nullopt;

  for (size_t i = 0; i < fields.size(); i++) {
    TracepointField &f = fields[i];
    const FormatField &ff = (*format)[i];
    f.c_decl = ff.decl;
    Type from_format = format_field_type(kb, ff, AddrSpace::Kernel);
    if (f.type.kind == TypeKind::Int && from_format.kind == TypeKind::Int) {
      f.type.size = from_format.size;
      f.type.is_signed = from_format.is_signed;
    } else if ((f.type.kind == TypeKind::String) != (from_format.kind == TypeKind::String)) {
      f.type = from_format;
    }
  }
  return fields;
}

// Note: BTF cannot tell which syscalls the arch's syscall table holds, so compat-only ones
// (stat, uname, getuid16, ... on x86_64) are accepted although tracefs has no event for them.
bool btf_has_syscall(const KernelBtf &kb, const std::string &name) {
  if (name == "ni_syscall") return false;  // the "not implemented" stub
  for (const char *prefix : {"__do_sys_", "__se_sys_", "__x64_sys_", "__arm64_sys_", "__riscv_sys_", "__s390x_sys_"})
    if (kb.has_function(prefix + name)) return true;
  return false;
}

static TracepointField syscall_field(const std::string &decl, const std::string &name, Type type, uint32_t offset,
                                     uint32_t size) {
  TracepointField f;
  f.name = name;
  f.c_decl = decl;
  f.type = std::move(type);
  f.offset = offset;
  f.size = size;
  return f;
}

// The layout every syscall event has (kernel/trace/trace_syscalls.c): __syscall_nr at 8, then the
// arguments as 8-byte unsigned slots from offset 16 (enter), or `long ret` at 16 (exit).
std::optional<std::vector<TracepointField>> btf_syscall_fields(const KernelBtf &kb, const std::string &event,
                                                               std::string *why) {
  const std::string enter = "sys_enter_", exit = "sys_exit_";
  bool is_enter = event.rfind(enter, 0) == 0;
  bool is_exit = event.rfind(exit, 0) == 0;
  std::string name = event.substr(is_enter ? enter.size() : is_exit ? exit.size() : 0);
  if ((!is_enter && !is_exit) || name.empty()) {
    *why = "syscalls events are named sys_enter_<name> or sys_exit_<name>";
    return std::nullopt;
  }
  if (!btf_has_syscall(kb, name)) {
    *why = "kernel BTF has no syscall named " + name;
    return std::nullopt;
  }

  std::vector<TracepointField> fields;
  fields.push_back(syscall_field("int __syscall_nr", "__syscall_nr", Type::integer(4, true), 8, 4));
  if (is_exit) {
    fields.push_back(syscall_field("long ret", "ret", Type::integer(8, true), 16, 8));
    return fields;
  }

  const struct btf *b = kb.raw();
  int func = btf__find_by_name_kind(b, ("__do_sys_" + name).c_str(), BTF_KIND_FUNC);
  const struct btf_type *proto = func > 0 ? btf__type_by_id(b, btf__type_by_id(b, func)->type) : nullptr;
  if (!proto || !btf_is_func_proto(proto)) {
    *why = "kernel BTF has no prototype of __do_sys_" + name + " to take the arguments from";
    return std::nullopt;
  }
  const struct btf_param *p = btf_params(proto);
  for (uint32_t i = 0; i < btf_vlen(proto); i++, p++) {
    std::string arg = btf__name_by_offset(b, p->name_off);
    if (btf_vlen(proto) == 1 && arg == "__unused") break;  // SYSCALL_DEFINE0 with a syscall wrapper (x86)
    if (arg.empty()) {
      *why = "the prototype of __do_sys_" + name + " has unnamed arguments";
      return std::nullopt;
    }
    Type t = kb.to_type(static_cast<int>(p->type));
    if (t.kind == TypeKind::Int || t.kind == TypeKind::Bool) t = Type::integer(8, false);
    set_pointer_addr_space(&t, AddrSpace::User);
    fields.push_back(syscall_field(kb.c_declaration(static_cast<int>(p->type), arg), arg, std::move(t), 16 + 8 * i, 8));
  }
  return fields;
}

}  // namespace btc
