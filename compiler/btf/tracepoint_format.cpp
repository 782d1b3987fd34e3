// tracefs format files: "field:<decl>;\toffset:<n>;\tsize:<n>;\tsigned:<0|1>;" lines.
#include "btf/tracepoint_format.h"

#include <sstream>

#include "btf/btf_internal.h"

namespace btc {

using btf_internal::trim;

// The value of "<key>:<value>;" within a line, or "" when absent.
static std::string section(const std::string &line, const std::string &key) {
  size_t start = line.find(key + ":");
  if (start == std::string::npos) return "";
  start += key.size() + 1;
  size_t end = line.find(';', start);
  if (end == std::string::npos) return "";
  return trim(line.substr(start, end - start));
}

static bool parse_uint(const std::string &s, uint32_t *out) {
  if (s.empty() || s.size() > 9) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  *out = static_cast<uint32_t>(std::stoul(s));
  return true;
}

// Splits "const char * filename" / "char prev_comm[16]" / "__data_loc char[] name".
static bool split_decl(const std::string &decl, FormatField *f) {
  size_t cut = decl.find_last_of(" \t");
  if (cut == std::string::npos) return false;
  std::string type = trim(decl.substr(0, cut));
  std::string name = trim(decl.substr(cut + 1));
  while (!name.empty() && name[0] == '*') {  // "char *name" spelled without a space
    type += " *";
    name.erase(0, 1);
  }
  size_t bracket = name.find('[');
  if (bracket != std::string::npos) {
    size_t close = name.find(']', bracket);
    if (close == std::string::npos) return false;
    std::string count = trim(name.substr(bracket + 1, close - bracket - 1));
    f->is_array = true;
    if (!count.empty() && !parse_uint(count, &f->array_count)) return false;
    name = name.substr(0, bracket);
  }
  if (type.empty() || name.empty()) return false;
  f->type = type;
  f->name = name;
  f->is_data_loc = type.find("__data_loc") != std::string::npos;
  return true;
}

bool parse_format_text(const std::string &text, std::vector<FormatField> *fields, std::string *err) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.find("field:") == std::string::npos) continue;
    FormatField f;
    f.decl = section(line, "field");
    std::string is_signed = section(line, "signed");
    if (!split_decl(f.decl, &f) || !parse_uint(section(line, "offset"), &f.offset) ||
        !parse_uint(section(line, "size"), &f.size) || (is_signed != "0" && is_signed != "1")) {
      if (err) *err = "cannot parse tracepoint format line: " + trim(line);
      return false;
    }
    f.is_signed = is_signed == "1";
    if (f.name.rfind("common_", 0) == 0) continue;
    fields->push_back(std::move(f));
  }
  return true;
}

void set_pointer_addr_space(Type *t, AddrSpace as) {
  for (; t->kind == TypeKind::Pointer && !t->inner.empty(); t = &t->inner[0]) t->addr_space = as;
}

// A type that BTF cannot spell (e.g. a typedef that only a module's BTF has): keep size and sign.
static Type fallback_type(const FormatField &f) {
  if (f.type.find('*') != std::string::npos) {
    Type p;
    p.kind = TypeKind::Pointer;
    p.size = 8;
    p.inner.push_back(Type::void_());
    return p;
  }
  if (f.size == 1 || f.size == 2 || f.size == 4 || f.size == 8) return Type::integer(f.size, f.is_signed);
  Type bytes;
  bytes.kind = TypeKind::Array;
  bytes.count = f.size;
  bytes.size = f.size;
  bytes.inner.push_back(Type::integer(1, false));
  return bytes;
}

Type format_field_type(const KernelBtf &btf, const FormatField &f, AddrSpace pointers) {
  if (f.is_data_loc) return Type::integer(f.size ? f.size : 4, false);

  if (f.is_array) {
    if (f.type == "char") return Type::string(f.array_count);
    std::optional<Type> elem = btf.parse_type(f.type);
    Type arr;
    arr.kind = TypeKind::Array;
    arr.count = f.array_count;
    if (elem) {
      arr.inner.push_back(*elem);
    } else {
      FormatField one = f;
      one.is_array = false;
      one.size = f.array_count ? f.size / f.array_count : 1;
      arr.inner.push_back(fallback_type(one));
    }
    arr.size = arr.inner[0].size * f.array_count;
    set_pointer_addr_space(&arr.inner[0], pointers);
    return arr;
  }

  std::optional<Type> parsed = btf.parse_type(f.type);
  Type t = parsed ? *parsed : fallback_type(f);
  if (t.kind == TypeKind::Int && (f.size == 1 || f.size == 2 || f.size == 4 || f.size == 8)) {
    t.size = f.size;
    t.is_signed = f.is_signed;
  }
  set_pointer_addr_space(&t, pointers);
  return t;
}

TracepointField to_tracepoint_field(const KernelBtf &btf, const FormatField &f, AddrSpace pointers) {
  TracepointField out;
  out.name = f.name;
  out.c_decl = f.decl;
  out.type = format_field_type(btf, f, pointers);
  out.offset = f.offset;
  out.size = f.size;
  out.is_data_loc = f.is_data_loc;
  return out;
}

}  // namespace btc
