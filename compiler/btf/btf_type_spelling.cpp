// KernelBtf::parse_type: C and bpftrace type spellings -> btc Type.
//
// Grammar (qualifiers const/volatile/restrict are accepted anywhere and ignored):
//   spelling := base '*'* ('[' N? ']')?
//   base     := bpftrace name (int8 .. uint64, bool, void)
//             | C integer words (char, signed char, unsigned short int, long long, _Bool, ...)
//             | fixed-width kernel names (u8 .. u64, s8 .. s64, __u8 .. __s64)
//             | struct X | union X | enum X
//             | any typedef in BTF (size_t, pid_t, umode_t, ...), or a bare struct/union name.
// Plain `char` takes its signedness from the kernel's BTF (unsigned on kernels built with
// -funsigned-char, i.e. >= 6.2), as bpftrace does. An array suffix always makes an Array (a cast to
// int8[4] means bytes); only arrays inside BTF records turn into strings.
#include <bpf/btf.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "btf/btf_internal.h"
#include "btf/kernel_btf.h"

namespace btc {

namespace {

struct Spelling {
  std::vector<std::string> words;  // base type words, qualifiers removed
  int stars = 0;
  bool is_array = false;
  uint32_t array_count = 0;
};

bool is_qualifier(const std::string &w) {
  return w == "const" || w == "volatile" || w == "restrict" || w == "__restrict" || w == "__restrict__";
}

// Splits the spelling into base words, pointer stars and an optional array suffix.
bool split_spelling(const std::string &s, Spelling *out) {
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      i++;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t start = i;
      while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) i++;
      std::string word = s.substr(start, i - start);
      if (is_qualifier(word)) continue;
      if (out->stars > 0 || out->is_array) return false;  // words after '*' other than qualifiers
      out->words.push_back(word);
    } else if (c == '*') {
      if (out->is_array) return false;
      out->stars++;
      i++;
    } else if (c == '[') {
      if (out->is_array) return false;
      size_t close = s.find(']', i);
      if (close == std::string::npos) return false;
      std::string num = btf_internal::trim(s.substr(i + 1, close - i - 1));
      for (char d : num)
        if (!std::isdigit(static_cast<unsigned char>(d))) return false;
      if (num.size() > 9) return false;
      out->is_array = true;
      out->array_count = num.empty() ? 0 : static_cast<uint32_t>(std::stoul(num));
      i = close + 1;
    } else {
      return false;
    }
  }
  return !out->words.empty();
}

std::optional<Type> fixed_width_type(const std::string &w) {
  static const std::map<std::string, std::pair<uint32_t, bool>> names = {
      {"int8", {1, true}},   {"int16", {2, true}},   {"int32", {4, true}},   {"int64", {8, true}},
      {"uint8", {1, false}}, {"uint16", {2, false}}, {"uint32", {4, false}}, {"uint64", {8, false}},
      {"s8", {1, true}},     {"s16", {2, true}},     {"s32", {4, true}},     {"s64", {8, true}},
      {"u8", {1, false}},    {"u16", {2, false}},    {"u32", {4, false}},    {"u64", {8, false}},
      {"__s8", {1, true}},   {"__s16", {2, true}},   {"__s32", {4, true}},   {"__s64", {8, true}},
      {"__u8", {1, false}},  {"__u16", {2, false}},  {"__u32", {4, false}},  {"__u64", {8, false}},
  };
  auto it = names.find(w);
  if (it == names.end()) return std::nullopt;
  return Type::integer(it->second.first, it->second.second);
}

bool is_c_int_word(const std::string &w) {
  return w == "signed" || w == "unsigned" || w == "char" || w == "short" || w == "int" || w == "long" || w == "_Bool";
}

// Signedness of plain `char` in this kernel's BTF (int8 when BTF does not say).
bool plain_char_is_signed(const struct btf *b) {
  int id = btf__find_by_name_kind(b, "char", BTF_KIND_INT);
  if (id <= 0) return true;
  return (btf_int_encoding(btf__type_by_id(b, id)) & BTF_INT_SIGNED) != 0;
}

// "unsigned long int", "signed char", "short", "_Bool", ... in any order.
std::optional<Type> c_integer_type(const struct btf *b, const std::vector<std::string> &words) {
  int n_signed = 0, n_unsigned = 0, n_char = 0, n_short = 0, n_int = 0, n_long = 0, n_bool = 0;
  for (const std::string &w : words) {
    if (w == "signed")
      n_signed++;
    else if (w == "unsigned")
      n_unsigned++;
    else if (w == "char")
      n_char++;
    else if (w == "short")
      n_short++;
    else if (w == "int")
      n_int++;
    else if (w == "long")
      n_long++;
    else if (w == "_Bool")
      n_bool++;
  }
  if (n_signed + n_unsigned > 1 || n_char > 1 || n_short > 1 || n_int > 1 || n_long > 2 || n_bool > 1)
    return std::nullopt;
  int sizes = (n_char ? 1 : 0) + (n_short ? 1 : 0) + (n_long ? 1 : 0) + (n_bool ? 1 : 0);
  if (sizes > 1 || (n_char && n_int) || (n_bool && words.size() > 1)) return std::nullopt;

  if (n_bool) return Type::boolean();
  if (n_char) {
    bool is_signed = n_signed ? true : n_unsigned ? false : plain_char_is_signed(b);
    return Type::integer(1, is_signed);
  }
  uint32_t size = n_short ? 2 : n_long ? 8 : 4;
  return Type::integer(size, n_unsigned == 0);
}

}  // namespace

std::optional<Type> KernelBtf::parse_type(const std::string &spelling) const {
  Spelling sp;
  if (!split_spelling(spelling, &sp)) return std::nullopt;
  const std::vector<std::string> &w = sp.words;

  std::optional<Type> base;
  if (w[0] == "struct" || w[0] == "union") {
    if (w.size() != 2) return std::nullopt;
    base = find_record(w[0] + " " + w[1]);
  } else if (w[0] == "enum") {
    if (w.size() != 2) return std::nullopt;
    int id = btf__find_by_name_kind(btf_, w[1].c_str(), BTF_KIND_ENUM);
    if (id <= 0) id = btf__find_by_name_kind(btf_, w[1].c_str(), BTF_KIND_ENUM64);
    if (id > 0) base = to_type(id);
  } else if (std::all_of(w.begin(), w.end(), is_c_int_word)) {
    base = c_integer_type(btf_, w);
  } else if (w.size() == 1) {
    const std::string &name = w[0];
    if (name == "void")
      base = Type::void_();
    else if (name == "bool")
      base = Type::boolean();
    else
      base = fixed_width_type(name);
    if (!base) {
      int id = btf__find_by_name_kind(btf_, name.c_str(), BTF_KIND_TYPEDEF);
      if (id > 0) base = to_type(id);
    }
    if (!base) base = find_record(name);
  }
  if (!base || base->is_none()) return std::nullopt;
  if (base->kind == TypeKind::Void && sp.stars == 0 && sp.is_array) return std::nullopt;

  Type t = *base;
  for (int i = 0; i < sp.stars; i++) {
    Type p;
    p.kind = TypeKind::Pointer;
    p.size = 8;
    p.inner.push_back(std::move(t));
    t = std::move(p);
  }
  if (sp.is_array) {
    Type arr;
    arr.kind = TypeKind::Array;
    arr.count = sp.array_count;
    arr.size = t.size * sp.array_count;
    arr.inner.push_back(std::move(t));
    t = std::move(arr);
  }
  return t;
}

}  // namespace btc
