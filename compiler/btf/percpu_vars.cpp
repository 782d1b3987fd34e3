// KernelBtf's per-CPU variables: the VARs pahole lists in DATASEC ".data..percpu", which
// percpu_kaddr() declares as typed ksyms for libbpf to resolve on the target kernel.
#include <bpf/btf.h>

#include "btf/btf_internal.h"
#include "btf/kernel_btf.h"

namespace btc {

const std::map<std::string, int> &KernelBtf::percpu_vars() const {
  if (percpu_vars_) return *percpu_vars_;
  percpu_vars_.emplace();
  uint32_t count = btf__type_cnt(btf_);
  for (uint32_t id = 1; id < count; id++) {
    const struct btf_type *t = btf__type_by_id(btf_, id);
    if (!btf_is_datasec(t) || btf_internal::type_name(btf_, t) != ".data..percpu") continue;
    const struct btf_var_secinfo *v = btf_var_secinfos(t);
    for (uint32_t i = 0; i < btf_vlen(t); i++) {
      const struct btf_type *var = btf__type_by_id(btf_, v[i].type);
      if (var && btf_is_var(var)) (*percpu_vars_)[btf_internal::type_name(btf_, var)] = static_cast<int>(var->type);
    }
  }
  return *percpu_vars_;
}

std::optional<int> KernelBtf::percpu_var_type(const std::string &name) const {
  const auto &vars = percpu_vars();
  auto it = vars.find(name);
  if (it == vars.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> KernelBtf::percpu_var_names() const {
  std::vector<std::string> names;
  for (const auto &[name, type_id] : percpu_vars()) names.push_back(name);
  return names;
}

std::optional<std::string> KernelBtf::named_base_type(int type_id) const {
  for (int guard = 0; guard < 64; guard++) {
    int id = btf_internal::skip_mods(btf_, type_id);
    const struct btf_type *t = btf__type_by_id(btf_, id);
    if (!t || id == 0) return "";  // void
    if (btf_is_ptr(t)) {
      type_id = static_cast<int>(t->type);
      continue;
    }
    if (btf_is_array(t)) {
      type_id = static_cast<int>(btf_array(t)->type);
      continue;
    }
    if (btf_is_int(t) || btf_is_float(t)) return "";
    std::string name = btf_internal::type_name(btf_, t);
    if (name.empty()) return std::nullopt;
    if (btf_is_typedef(t)) return name;
    if (btf_is_struct(t)) return "struct " + name;
    if (btf_is_union(t)) return "union " + name;
    if (btf_is_enum(t) || btf_is_enum64(t)) return "enum " + name;
    return std::nullopt;  // a function prototype and the like: not a variable's type
  }
  return std::nullopt;
}

}  // namespace btc
