// Splitting type spellings into base and postfix suffixes, and applying the suffixes.
#include "types/type_spelling.h"

#include <cctype>

namespace btc {

namespace {

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::string trimmed(const std::string &s) {
  size_t b = 0, e = s.size();
  while (b < e && is_space(s[b])) b++;
  while (e > b && is_space(s[e - 1])) e--;
  return s.substr(b, e - b);
}

constexpr uint32_t kBufferHeader = 8;          // btc's buf() value: u64 length, then the bytes
constexpr uint32_t kBpftraceBufferHeader = 4;  // bpftrace's: u32 length

}  // namespace

std::optional<TypeSpelling> split_type_spelling(const std::string &spelling) {
  size_t first = spelling.find_first_of("*[");
  TypeSpelling out;
  out.base = trimmed(spelling.substr(0, first));
  if (out.base.empty()) return std::nullopt;
  for (size_t i = first; i != std::string::npos && i < spelling.size();) {
    char c = spelling[i];
    if (is_space(c)) {
      i++;
    } else if (c == '*') {
      out.suffixes.push_back({true, 0});
      i++;
    } else if (c == '[') {
      size_t close = spelling.find(']', i);
      if (close == std::string::npos) return std::nullopt;
      std::string num = trimmed(spelling.substr(i + 1, close - i - 1));
      if (num.size() > 9) return std::nullopt;
      for (char d : num)
        if (!std::isdigit(static_cast<unsigned char>(d))) return std::nullopt;
      out.suffixes.push_back({false, num.empty() ? 0 : static_cast<uint32_t>(std::stoul(num))});
      i = close + 1;
    } else {
      return std::nullopt;  // a word after a suffix ("int *const"): not a bpftrace type
    }
  }
  return out;
}

bool is_sized_type_name(const std::string &base) { return base == "string" || base == "buffer" || base == "inet"; }

Type sized_base_type(const std::string &base, std::vector<TypeSuffix> *suffixes) {
  uint32_t n = 0;
  if (!suffixes->empty() && !suffixes->front().is_pointer) {
    n = suffixes->front().count;
    suffixes->erase(suffixes->begin());
  }
  if (base == "string") return Type::string(n);
  Type t;
  if (base == "buffer") {
    t.kind = TypeKind::Buffer;
    t.size = kBufferHeader + n;
  } else {
    t.kind = TypeKind::Inet;
    t.size = n;
  }
  return t;
}

Type apply_type_suffixes(Type base, const std::vector<TypeSuffix> &suffixes) {
  Type t = std::move(base);
  for (const TypeSuffix &s : suffixes)
    t = s.is_pointer ? Type::pointer_to(std::move(t)) : Type::array_of(std::move(t), s.count);
  return t;
}

uint64_t bpftrace_sizeof(const Type &t) {
  if (t.kind == TypeKind::Buffer) return t.size - kBufferHeader + kBpftraceBufferHeader;
  return t.size;
}

}  // namespace btc
