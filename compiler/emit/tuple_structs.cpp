#include "emit/tuple_structs.h"

#include "types/tuple_layout.h"

namespace btc {

std::string type_signature(const Type &t) {
  switch (t.kind) {
    case TypeKind::Int:
      return (t.is_signed ? "i" : "u") + std::to_string(t.size);
    case TypeKind::Bool:
      return "b";
    case TypeKind::String:
      return "s" + std::to_string(t.size);
    case TypeKind::Tuple: {
      std::string s = "(";
      for (size_t i = 0; i < t.inner.size(); i++)  // a record's field names are part of its type
        s += (i ? "," : "") + (t.fields.empty() ? "" : t.fields[i] + ":") + type_signature(t.inner[i]);
      return s + ")";
    }
    case TypeKind::Kstack:
      return "K" + std::to_string(t.count) + "." + std::to_string(t.hist_bits);
    case TypeKind::Ustack:
      return "U" + std::to_string(t.count) + "." + std::to_string(t.hist_bits);
    case TypeKind::Ksym:
      return "ks";
    case TypeKind::Usym:
      return "us";
    case TypeKind::Timestamp:
      return "T" + t.name;  // the strftime format is part of the type
    case TypeKind::Strerror:
      return "E";
    case TypeKind::Record: {  // the name alone may not say which members were kept
      std::string s = "{" + t.name + ":";
      for (size_t i = 0; i < t.inner.size(); i++)
        s += (i ? "," : "") + t.fields[i] + "@" + std::to_string(t.offsets[i]) + "=" + type_signature(t.inner[i]);
      return s + "}";
    }
    case TypeKind::Array:
      return "[" + std::to_string(t.count) + "x" + (t.inner.empty() ? "?" : type_signature(t.inner[0])) + "]";
    case TypeKind::Pointer:
      return "p";
    default:
      return "?";
  }
}

std::string TupleStructs::member_decl(const Type &t, const std::string &member) {
  switch (t.kind) {
    case TypeKind::Int:
      return std::string(t.is_signed ? "__s" : "__u") + std::to_string(t.size * 8) + " " + member;
    case TypeKind::Bool:
      return "__u8 " + member;
    case TypeKind::String:
      return "char " + member + "[" + std::to_string(t.size) + "]";
    case TypeKind::Tuple:
      return name(t) + " " + member;
    case TypeKind::Record:
    case TypeKind::Array:  // raw bytes at the value's own alignment
      return "char " + member + "[" + std::to_string(t.size) + "] __attribute__((aligned(" +
             std::to_string(tuple_elem_align(t)) + ")))";
    case TypeKind::Ustack:
    case TypeKind::Usym:
      return "__u64 " + member + "[2]";  // stack id or address, then the pid
    case TypeKind::Kstack:
    case TypeKind::Strerror:
      return "__s64 " + member;
    default:
      return "__u64 " + member;
  }
}

std::string TupleStructs::name(const Type &t) {
  std::string sig = type_signature(t);
  auto it = names_.find(sig);
  if (it != names_.end()) return it->second;
  std::string body;
  for (size_t i = 0; i < t.inner.size(); i++) body += "  " + member_decl(t.inner[i], "e" + std::to_string(i)) + ";\n";
  std::string n = "struct btc_tuple_" + std::to_string(names_.size());
  names_[sig] = n;
  defs_ += n + " {\n" + body + "};\n\n";
  return n;
}

}  // namespace btc
