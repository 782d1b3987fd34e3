// KernelBtf: loading kernel BTF and converting its types to btc Types.
//
// Conventions (see also kernel_btf.h):
//  - Pointers are 8-byte Pointer types whose pointee is in inner[0]. `void *` and function pointers
//    point to a Void type (TypeKind::Void), like bpftrace's "void *". The address space is left
//    AddrSpace::None: the user of the type (checker, tracepoints) knows whose memory it is.
//  - Every integer keeps the size and signedness BTF records. Note that kernels >= 6.2 are built with
//    -funsigned-char, so plain `char` is uint8 there (bpftrace 0.26 sees the same).
//  - Arrays of 1-byte integers become String(N) (bpftrace does the same for BTF types); other arrays
//    are Array types with inner[0] the element and `count` elements.
//  - Enums become unsigned Int of the enum's size with name "enum X" (empty for anonymous enums).
//  - Integers wider than 8 bytes (__int128) and floats have no btc type: TypeKind::None.
#include "btf/kernel_btf.h"

#include <bpf/btf.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "btf/btf_internal.h"

namespace btc {

using btf_internal::skip_typedefs_and_mods;
using btf_internal::split_tag;
using btf_internal::type_name;

std::unique_ptr<KernelBtf> KernelBtf::load(const std::string &path, std::string *err) {
  struct btf *b = btf__parse(path.c_str(), nullptr);
  if (!b) {
    int e = errno;
    if (err) *err = "cannot load kernel BTF from " + path + ": " + std::strerror(e);
    return nullptr;
  }
  return std::unique_ptr<KernelBtf>(new KernelBtf(b));
}

KernelBtf::~KernelBtf() { btf__free(btf_); }

static Type record_type(const struct btf *b, int id, const struct btf_type *t) {
  Type r;
  r.kind = TypeKind::Record;
  std::string name = type_name(b, t);
  std::string tag = btf_is_union(t) ? "union " : "struct ";
  r.name = tag + (name.empty() ? "(anonymous)" : name);
  r.size = t->size;
  r.btf_id = id;
  return r;
}

Type KernelBtf::to_type(int btf_id) const {
  int id = skip_typedefs_and_mods(btf_, btf_id);
  if (id == 0) return Type::void_();
  const struct btf_type *t = btf__type_by_id(btf_, id);
  if (!t) return Type::none();

  if (btf_is_int(t)) {
    uint8_t enc = btf_int_encoding(t);
    if (enc & BTF_INT_BOOL) return Type::boolean();
    if (t->size == 1 || t->size == 2 || t->size == 4 || t->size == 8)
      return Type::integer(t->size, (enc & BTF_INT_SIGNED) != 0);
    return Type::none();
  }
  if (btf_is_any_enum(t)) {
    Type e = Type::integer(t->size, false);
    std::string name = type_name(btf_, t);
    if (!name.empty()) e.name = "enum " + name;
    return e;
  }
  if (btf_is_ptr(t)) {
    size_t psize = btf__pointer_size(btf_);
    return Type::pointer_to(to_type(static_cast<int>(t->type)), psize ? static_cast<uint32_t>(psize) : 8);
  }
  if (btf_is_array(t)) {
    const struct btf_array *a = btf_array(t);
    Type elem = to_type(static_cast<int>(a->type));
    if (elem.kind == TypeKind::Int && elem.size == 1) return Type::string(a->nelems);
    Type arr;
    arr.kind = TypeKind::Array;
    arr.count = a->nelems;
    arr.size = elem.size * a->nelems;
    arr.inner.push_back(std::move(elem));
    return arr;
  }
  if (btf_is_composite(t)) return record_type(btf_, id, t);
  if (btf_is_fwd(t)) {
    // A forward declaration: use the full definition when this BTF has one.
    int kind = btf_kflag(t) ? BTF_KIND_UNION : BTF_KIND_STRUCT;
    int full = btf__find_by_name_kind(btf_, type_name(btf_, t).c_str(), kind);
    if (full > 0) return to_type(full);
    Type r;
    r.kind = TypeKind::Record;
    r.name = (btf_kflag(t) ? "union " : "struct ") + type_name(btf_, t);
    r.btf_id = id;
    return r;
  }
  if (btf_is_func_proto(t)) return Type::void_();  // only reachable as a function pointer's pointee
  return Type::none();
}

std::optional<Type> KernelBtf::find_record(const std::string &name) const {
  btf_internal::TagName tn = split_tag(name);
  if (tn.name.empty() || tn.kind == BTF_KIND_ENUM) return std::nullopt;

  std::vector<int> kinds;
  if (tn.kind)
    kinds = {tn.kind};
  else
    kinds = {BTF_KIND_STRUCT, BTF_KIND_UNION};
  for (int kind : kinds) {
    int id = btf__find_by_name_kind(btf_, tn.name.c_str(), kind);
    if (id > 0) return to_type(id);
  }
  if (tn.kind == 0) {
    // A typedef of a record, e.g. "cpumask_t".
    int id = btf__find_by_name_kind(btf_, tn.name.c_str(), BTF_KIND_TYPEDEF);
    if (id > 0) {
      Type t = to_type(id);
      if (t.kind == TypeKind::Record) return t;
    }
  }
  return std::nullopt;
}

// Depth-first search through the members of record `id`, descending into anonymous struct/union
// members; `base_bits` is the offset of record `id` inside the outermost record.
static bool find_member(const KernelBtf &kb, int id, const std::string &field, uint32_t base_bits, FieldInfo *out) {
  const struct btf *b = kb.raw();
  const struct btf_type *t = btf__type_by_id(b, skip_typedefs_and_mods(b, id));
  if (!t || !btf_is_composite(t)) return false;
  const struct btf_member *m = btf_members(t);
  for (uint32_t i = 0; i < btf_vlen(t); i++, m++) {
    std::string name = btf__name_by_offset(b, m->name_off);
    uint32_t bits = base_bits + btf_member_bit_offset(t, i);
    if (name == field) {
      out->name = name;
      out->type = kb.to_type(static_cast<int>(m->type));
      out->offset_bits = bits;
      out->bitfield_bits = btf_member_bitfield_size(t, i);
      return true;
    }
    if (name.empty() && find_member(kb, static_cast<int>(m->type), field, bits, out)) return true;
  }
  return false;
}

std::optional<FieldInfo> KernelBtf::find_field(const Type &record, const std::string &field) const {
  if (record.kind != TypeKind::Record || record.btf_id <= 0 || field.empty()) return std::nullopt;
  FieldInfo info;
  if (!find_member(*this, record.btf_id, field, 0, &info)) return std::nullopt;
  return info;
}

static void collect_names(const struct btf *b, int id, std::vector<std::string> *out) {
  const struct btf_type *t = btf__type_by_id(b, skip_typedefs_and_mods(b, id));
  if (!t || !btf_is_composite(t)) return;
  const struct btf_member *m = btf_members(t);
  for (uint32_t i = 0; i < btf_vlen(t); i++, m++) {
    std::string name = btf__name_by_offset(b, m->name_off);
    if (name.empty())
      collect_names(b, static_cast<int>(m->type), out);
    else
      out->push_back(name);
  }
}

std::vector<std::string> KernelBtf::field_names(const Type &record) const {
  std::vector<std::string> names;
  if (record.kind == TypeKind::Record && record.btf_id > 0) collect_names(btf_, record.btf_id, &names);
  return names;
}

bool KernelBtf::has_function(const std::string &name) const {
  return !name.empty() && btf__find_by_name_kind(btf_, name.c_str(), BTF_KIND_FUNC) > 0;
}

std::vector<std::string> KernelBtf::function_names() const {
  std::vector<std::string> names;
  uint32_t count = btf__type_cnt(btf_);
  for (uint32_t id = 1; id < count; id++) {
    const struct btf_type *t = btf__type_by_id(btf_, id);
    if (btf_is_func(t)) names.push_back(type_name(btf_, t));
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace btc

namespace btc {

std::optional<KernelBtf::FunctionProto> KernelBtf::function_proto(const std::string &name) const {
  int id = name.empty() ? -1 : btf__find_by_name_kind(btf_, name.c_str(), BTF_KIND_FUNC);
  if (id <= 0) return std::nullopt;
  const struct btf_type *fn = btf__type_by_id(btf_, id);
  const struct btf_type *proto = btf__type_by_id(btf_, fn->type);
  if (!proto || !btf_is_func_proto(proto)) return std::nullopt;
  FunctionProto out;
  const struct btf_param *p = btf_params(proto);
  for (uint16_t i = 0; i < btf_vlen(proto); i++) {
    FieldInfo f;
    f.name = btf__name_by_offset(btf_, p[i].name_off);
    if (f.name.empty()) return std::nullopt;
    f.type = to_type(static_cast<int>(p[i].type));
    out.params.push_back(std::move(f));
  }
  out.ret = proto->type ? to_type(static_cast<int>(proto->type)) : Type::void_();
  return out;
}

}  // namespace btc

namespace btc {

std::optional<int64_t> KernelBtf::enum_value(const std::string &name) const {
  if (enumerators_.empty()) {
    uint32_t count = btf__type_cnt(btf_);
    for (uint32_t id = 1; id < count; id++) {
      const struct btf_type *t = btf__type_by_id(btf_, id);
      if (btf_is_enum(t)) {
        const struct btf_enum *e = btf_enum(t);
        for (uint16_t i = 0; i < btf_vlen(t); i++)
          enumerators_.emplace(btf__name_by_offset(btf_, e[i].name_off), e[i].val);
      } else if (btf_is_enum64(t)) {
        const struct btf_enum64 *e = btf_enum64(t);
        for (uint16_t i = 0; i < btf_vlen(t); i++)
          enumerators_.emplace(btf__name_by_offset(btf_, e[i].name_off),
                               static_cast<int64_t>(btf_enum64_value(&e[i])));
      }
    }
  }
  auto it = enumerators_.find(name);
  if (it == enumerators_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::pair<std::string, int64_t>> KernelBtf::enumerators_of(const std::string &enum_name) const {
  std::vector<std::pair<std::string, int64_t>> out;
  if (enum_name.rfind("enum ", 0) != 0) return out;
  std::string name = enum_name.substr(5);
  int id = btf__find_by_name_kind(btf_, name.c_str(), BTF_KIND_ENUM);
  if (id <= 0) id = btf__find_by_name_kind(btf_, name.c_str(), BTF_KIND_ENUM64);
  if (id <= 0) return out;
  const struct btf_type *t = btf__type_by_id(btf_, id);
  if (btf_is_enum(t)) {
    const struct btf_enum *e = btf_enum(t);
    bool is_signed = btf_kflag(t);
    for (uint16_t i = 0; i < btf_vlen(t); i++)
      out.emplace_back(
          btf__name_by_offset(btf_, e[i].name_off),
          is_signed ? static_cast<int64_t>(e[i].val) : static_cast<int64_t>(static_cast<uint32_t>(e[i].val)));
  } else {
    const struct btf_enum64 *e = btf_enum64(t);
    for (uint16_t i = 0; i < btf_vlen(t); i++)
      out.emplace_back(btf__name_by_offset(btf_, e[i].name_off), static_cast<int64_t>(btf_enum64_value(&e[i])));
  }
  return out;
}

}  // namespace btc
