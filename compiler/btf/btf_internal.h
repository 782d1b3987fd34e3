// Small helpers over libbpf's btf API shared by the files of compiler/btf/.
#pragma once
#include <bpf/btf.h>

#include <string>

namespace btc::btf_internal {

// Follows typedefs and const/volatile/restrict/type-tag modifiers to the underlying type id.
inline int skip_typedefs_and_mods(const struct btf *b, int id) {
  for (int guard = 0; guard < 64; guard++) {
    const struct btf_type *t = btf__type_by_id(b, id);
    if (!t || !(btf_is_typedef(t) || btf_is_mod(t))) return id;
    id = static_cast<int>(t->type);
  }
  return id;
}

// Follows only const/volatile/restrict/type-tag modifiers (keeps typedefs).
inline int skip_mods(const struct btf *b, int id) {
  for (int guard = 0; guard < 64; guard++) {
    const struct btf_type *t = btf__type_by_id(b, id);
    if (!t || !btf_is_mod(t)) return id;
    id = static_cast<int>(t->type);
  }
  return id;
}

inline std::string type_name(const struct btf *b, const struct btf_type *t) {
  const char *n = btf__name_by_offset(b, t->name_off);
  return n ? n : "";
}

// "struct task_struct" -> {kind STRUCT, "task_struct"}; "union x" / "enum x" likewise; else kind 0.
struct TagName {
  int kind = 0;
  std::string name;
};

inline std::string trim(const std::string &s) {
  size_t b = s.find_first_not_of(" \t\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\n");
  return s.substr(b, e - b + 1);
}

inline TagName split_tag(const std::string &spelling) {
  std::string s = trim(spelling);
  struct Prefix {
    const char *text;
    int kind;
  };
  static const Prefix prefixes[] = {{"struct ", BTF_KIND_STRUCT}, {"union ", BTF_KIND_UNION}, {"enum ", BTF_KIND_ENUM}};
  for (const Prefix &p : prefixes) {
    std::string text = p.text;
    if (s.compare(0, text.size(), text) == 0) return {p.kind, trim(s.substr(text.size()))};
  }
  return {0, s};
}

}  // namespace btc::btf_internal
