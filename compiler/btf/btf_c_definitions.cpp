// KernelBtf::emit_c_definitions: a small vmlinux.h holding only the types a BPF program uses.
//
// The output is printed by libbpf's btf_dump, which emits each requested type after everything it
// depends on (pointed-to records only as forward declarations), so it stays small.
//
// Basic types: the output REPLACES <linux/types.h> and <linux/bpf.h> in BPF C, exactly like vmlinux.h
// does. Those uapi headers cannot be mixed with kernel BTF types: with -target bpf the host's
// asm/bitsperlong.h sees no __x86_64__ and declares 32-bit __kernel_size_t/__kernel_long_t, which
// clash with (and differ from) the kernel's 64-bit typedefs, and <linux/bpf.h> redefines structs and
// enums that kernel BTF also has. So the output always starts with the fixed-width and byte-order
// typedefs that <bpf/bpf_helpers.h>, <bpf/bpf_helper_defs.h> and <bpf/bpf_core_read.h> need
// (__u8 .. __s64, __be16, __be32, __wsum, ...) and the BPF uapi constants BPF programs use
// (enum bpf_map_type, BPF_ANY, BPF_F_NO_PREALLOC, BPF_F_CURRENT_CPU, BPF_F_USER_STACK,
// BPF_RB_NO_WAKEUP), all taken from the same BTF. Include it first, then the libbpf headers.
// Do not include <stdbool.h> before it (kernel BTF defines `typedef _Bool bool`). It defines
// __VMLINUX_H__ as vmlinux.h does, so <bpf/bpf_tracing.h> uses the kernel's struct pt_regs names.
#include <bpf/btf.h>

#include <cstdarg>
#include <cstdio>

#include "btf/btf_internal.h"
#include "btf/kernel_btf.h"

namespace btc {

namespace {

// Typedefs the libbpf BPF headers use without defining them.
const char *const kBasicTypedefs[] = {"__s8",   "__u8",   "__s16",  "__u16",  "__s32",  "__u32",  "__s64",   "__u64",
                                      "__be16", "__be32", "__be64", "__le16", "__le32", "__le64", "__sum16", "__wsum"};

// uapi enums (named, or anonymous ones found by an enumerator) that generated BPF code refers to.
const char *const kBpfUapiEnums[] = {"enum bpf_map_type", "BPF_ANY",          "BPF_F_NO_PREALLOC",
                                     "BPF_F_CURRENT_CPU", "BPF_F_USER_STACK", "BPF_RB_NO_WAKEUP"};

void append_printf(void *ctx, const char *fmt, va_list args) {
  auto *out = static_cast<std::string *>(ctx);
  char buf[256];
  va_list copy;
  va_copy(copy, args);
  int n = vsnprintf(buf, sizeof buf, fmt, copy);
  va_end(copy);
  if (n < 0) return;
  if (static_cast<size_t>(n) < sizeof buf) {
    out->append(buf, static_cast<size_t>(n));
    return;
  }
  std::string big(static_cast<size_t>(n) + 1, '\0');
  vsnprintf(big.data(), big.size(), fmt, args);
  out->append(big.data(), static_cast<size_t>(n));
}

// The enum (ENUM or ENUM64) declaring `enumerator`, or 0.
int find_enum_with_enumerator(const struct btf *b, const std::string &enumerator) {
  uint32_t count = btf__type_cnt(b);
  for (uint32_t id = 1; id < count; id++) {
    const struct btf_type *t = btf__type_by_id(b, id);
    if (btf_is_enum(t)) {
      const struct btf_enum *e = btf_enum(t);
      for (uint32_t i = 0; i < btf_vlen(t); i++)
        if (enumerator == btf__name_by_offset(b, e[i].name_off)) return static_cast<int>(id);
    } else if (btf_is_enum64(t)) {
      const struct btf_enum64 *e = btf_enum64(t);
      for (uint32_t i = 0; i < btf_vlen(t); i++)
        if (enumerator == btf__name_by_offset(b, e[i].name_off)) return static_cast<int>(id);
    }
  }
  return 0;
}

// "struct X" / "union X" / "enum X" / typedef name / bare struct or union name / enumerator -> type id.
int resolve_name(const struct btf *b, const std::string &spelling) {
  btf_internal::TagName tn = btf_internal::split_tag(spelling);
  if (tn.name.empty()) return 0;
  const char *name = tn.name.c_str();
  int id = 0;
  if (tn.kind == BTF_KIND_ENUM) {
    id = btf__find_by_name_kind(b, name, BTF_KIND_ENUM);
    if (id <= 0) id = btf__find_by_name_kind(b, name, BTF_KIND_ENUM64);
  } else if (tn.kind != 0) {
    id = btf__find_by_name_kind(b, name, tn.kind);
  } else {
    for (int kind : {BTF_KIND_TYPEDEF, BTF_KIND_STRUCT, BTF_KIND_UNION}) {
      id = btf__find_by_name_kind(b, name, kind);
      if (id > 0) break;
    }
    if (id <= 0) id = find_enum_with_enumerator(b, tn.name);
  }
  return id > 0 ? id : 0;
}

}  // namespace

std::string KernelBtf::emit_c_definitions(const std::vector<std::string> &names) const {
  std::string errors;
  std::vector<int> ids;
  for (const char *name : kBasicTypedefs)
    if (int id = btf__find_by_name_kind(btf_, name, BTF_KIND_TYPEDEF); id > 0) ids.push_back(id);
  for (const char *name : kBpfUapiEnums)
    if (int id = resolve_name(btf_, name)) ids.push_back(id);
  for (const std::string &name : names) {
    if (int id = resolve_name(btf_, name))
      ids.push_back(id);
    else
      errors += "#error \"btc: kernel BTF has no type named '" + name + "'\"\n";
  }

  std::string body;
  struct btf_dump *d = btf_dump__new(btf_, append_printf, &body, nullptr);
  if (!d) return "#error \"btc: libbpf could not create a BTF dumper\"\n";
  for (int id : ids) {
    if (btf_dump__dump_type(d, static_cast<uint32_t>(id)) < 0)
      errors += "#error \"btc: libbpf could not dump BTF type " + std::to_string(id) + "\"\n";
  }
  btf_dump__free(d);

  std::string out = "/* Kernel types from BTF, emitted by btc. Replaces <linux/types.h> and <linux/bpf.h>. */\n";
  out += errors;
  // Like vmlinux.h: tells <bpf/bpf_tracing.h> that struct pt_regs is the kernel's (di, si, ... on x86).
  out += "#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n#endif\n";
  out += "#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n\n";
  out += body;
  out += "\n#pragma clang attribute pop\n";
  return out;
}

std::string KernelBtf::c_declaration(int type_id, const std::string &name) const {
  std::string out;
  struct btf_dump *d = btf_dump__new(btf_, append_printf, &out, nullptr);
  if (!d) return "";
  struct btf_dump_emit_type_decl_opts opts = {};
  opts.sz = sizeof(opts);
  opts.field_name = name.c_str();
  if (btf_dump__emit_type_decl(d, static_cast<uint32_t>(type_id), &opts) < 0) out.clear();
  btf_dump__free(d);
  return out;
}

}  // namespace btc
