// Kernel type information for the checker and the emitter, read from a BTF file
// (default /sys/kernel/btf/vmlinux) with libbpf's btf API.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "types/types.h"

struct btf;

namespace btc {

struct FieldInfo {
  std::string name;
  Type type;               // converted with KernelBtf::to_type
  uint32_t offset_bits = 0;
  uint32_t bitfield_bits = 0;  // 0 when not a bitfield
};

class KernelBtf {
 public:
  // Loads BTF from `path`. On failure returns null and sets *err to a one-line reason.
  static std::unique_ptr<KernelBtf> load(const std::string &path, std::string *err);
  ~KernelBtf();

  // "struct task_struct", "union bpf_attr", "task_struct" (struct assumed) -> Record type (btf_id set, size set).
  std::optional<Type> find_record(const std::string &name) const;
  // A member of a record, looking through anonymous struct/union members; offset is from the record start.
  std::optional<FieldInfo> find_field(const Type &record, const std::string &field) const;
  // Every member name of a record (incl. those reached through anonymous members), for "did you mean".
  std::vector<std::string> field_names(const Type &record) const;
  // Converts a BTF type id to a btc Type (ints, pointers, arrays, records, enums as ints, typedefs resolved).
  // char arrays become String of their length; pointers keep their pointee in inner[0].
  Type to_type(int btf_id) const;
  // Parses a C type spelling used in casts/sizeof/let: "struct task_struct *", "int", "unsigned long",
  // "u32", "uint32", "int8", "char *", "const char *", typedef names from BTF.
  std::optional<Type> parse_type(const std::string &spelling) const;
  // Kernel functions (BTF FUNC) for kprobe/fentry validation and suggestions.
  bool has_function(const std::string &name) const;
  std::vector<std::string> function_names() const;
  // The parameters of kernel function `name` (fentry/fexit `args`), in order, and its return type.
  // nullopt if there is no such function or its prototype is unnamed.
  struct FunctionProto {
    std::vector<FieldInfo> params;  // offset_bits unused; name and type only
    Type ret;
  };
  std::optional<FunctionProto> function_proto(const std::string &name) const;
  // The value of a kernel enumerator such as TCP_ESTABLISHED (first declaration wins).
  std::optional<int64_t> enum_value(const std::string &name) const;
  // Every enumerator of kernel enum `enum_name` ("enum skb_drop_reason") with its value; empty if none.
  std::vector<std::pair<std::string, int64_t>> enumerators_of(const std::string &enum_name) const;

  // C source defining the given records (and everything they depend on), for the BPF C file.
  // Records are wrapped in preserve_access_index so field accesses are CO-RE relocated.
  // `names` are spellings like "struct task_struct", "struct trace_event_raw_sched_switch".
  // The output always starts with the basic typedefs (__u8 .. __s64, __be16, __wsum, ...) and the BPF
  // uapi enums (bpf_map_type, BPF_ANY, BPF_F_CURRENT_CPU, ...) from BTF: it REPLACES <linux/types.h>
  // and <linux/bpf.h>, which must not be included with it (see btf_c_definitions.cpp for why).
  // Put it before <bpf/bpf_helpers.h>. A name BTF does not have becomes an #error line.
  // Besides tagged names, `names` may hold typedef names ("u64") and enumerator names ("BPF_ANY").
  std::string emit_c_definitions(const std::vector<std::string> &names) const;

  // C declaration of a field/variable `name` of BTF type `type_id`, e.g. "char prev_comm[16]".
  std::string c_declaration(int type_id, const std::string &name) const;

  // Per-CPU kernel variables (the VARs of BTF DATASEC ".data..percpu"), for percpu_kaddr().
  // The type id of per-CPU variable `name`, or nullopt when BTF has none of that name.
  std::optional<int> percpu_var_type(const std::string &name) const;
  std::vector<std::string> percpu_var_names() const;
  // The named type a C declaration of type `type_id` needs defined before it, found through
  // pointers, arrays and const/volatile: "struct rq", a typedef name such as "u64", or "" for a
  // base C type or void; nullopt when that type is anonymous (emit_c_definitions cannot name it).
  std::optional<std::string> named_base_type(int type_id) const;

  const struct btf *raw() const { return btf_; }

 private:
  explicit KernelBtf(struct btf *b) : btf_(b) {}
  struct btf *btf_;
  mutable std::map<std::string, int64_t> enumerators_;  // filled on first enum_value()
  // percpu_var_type(), percpu_var_names(): name -> type id, filled on first use.
  mutable std::optional<std::map<std::string, int>> percpu_vars_;
  const std::map<std::string, int> &percpu_vars() const;
};

}  // namespace btc
