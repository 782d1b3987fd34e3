// A small reader for the C declarations bpftrace scripts put before their probes (see
// script_types.h): struct/union definitions with nested and anonymous members, bitfields, arrays,
// pointers and function pointers; enums with constant expressions; typedefs.
#include "types/script_types.h"

#include <cctype>

namespace btc {

namespace {

struct CToken {
  enum Kind { Ident, Number, Punct, End } kind = End;
  std::string text;
  uint64_t value = 0;
};

// Splits C text into identifiers, numbers and one-character punctuation ("<<" and ">>" are one
// token); comments are skipped.
std::vector<CToken> tokenize(const std::string &s, std::string *err) {
  std::vector<CToken> out;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (isspace(static_cast<unsigned char>(c))) {
      i++;
    } else if (s.compare(i, 2, "//") == 0) {
      while (i < s.size() && s[i] != '\n') i++;
    } else if (s.compare(i, 2, "/*") == 0) {
      size_t e = s.find("*/", i + 2);
      i = e == std::string::npos ? s.size() : e + 2;
    } else if (isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t b = i;
      while (i < s.size() && (isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) i++;
      out.push_back({CToken::Ident, s.substr(b, i - b), 0});
    } else if (isdigit(static_cast<unsigned char>(c))) {
      size_t b = i;
      while (i < s.size() && (isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) i++;
      std::string text = s.substr(b, i - b);
      while (!text.empty() && (text.back() == 'u' || text.back() == 'U' || text.back() == 'l' || text.back() == 'L'))
        text.pop_back();
      char *end = nullptr;
      uint64_t v = std::strtoull(text.c_str(), &end, 0);
      if (text.empty() || *end) {
        *err = "bad number '" + s.substr(b, i - b) + "'";
        return {};
      }
      out.push_back({CToken::Number, text, v});
    } else if ((c == '<' || c == '>') && i + 1 < s.size() && s[i + 1] == c) {
      out.push_back({CToken::Punct, s.substr(i, 2), 0});
      i += 2;
    } else {
      out.push_back({CToken::Punct, std::string(1, c), 0});
      i++;
    }
  }
  out.push_back({CToken::End, "", 0});
  return out;
}

uint32_t round_up(uint32_t n, uint32_t a) { return a <= 1 ? n : (n + a - 1) / a * a; }

// Fixed-width integer names scripts use without including a header.
std::optional<Type> fixed_width_int(const std::string &n) {
  static const std::pair<const char *, Type> kNames[] = {
      {"int8_t", Type::integer(1, true)},
      {"int16_t", Type::integer(2, true)},
      {"int32_t", Type::integer(4, true)},
      {"int64_t", Type::integer(8, true)},
      {"uint8_t", Type::integer(1, false)},
      {"uint16_t", Type::integer(2, false)},
      {"uint32_t", Type::integer(4, false)},
      {"uint64_t", Type::integer(8, false)},
      {"int8", Type::integer(1, true)},
      {"int16", Type::integer(2, true)},
      {"int32", Type::integer(4, true)},
      {"int64", Type::integer(8, true)},
      {"uint8", Type::integer(1, false)},
      {"uint16", Type::integer(2, false)},
      {"uint32", Type::integer(4, false)},
      {"uint64", Type::integer(8, false)},
      {"size_t", Type::integer(8, false)},
      {"ssize_t", Type::integer(8, true)},
      {"uintptr_t", Type::integer(8, false)},
      {"intptr_t", Type::integer(8, true)},
      {"_Bool", Type::boolean()},
      {"bool", Type::boolean()},
  };
  for (const auto &[name, t] : kNames)
    if (n == name) return t;
  return std::nullopt;
}

}  // namespace

struct ParseFailure {
  std::string message;
};

class CDeclParser {
 public:
  CDeclParser(ScriptTypes &types, std::vector<CToken> toks, const ScriptTypes::Resolver &resolve)
      : types_(types), toks_(std::move(toks)), resolve_(resolve) {}

  void definition() {
    if (accept("typedef")) {
      Base base = base_type("");
      do {
        std::string name;
        Type t = declarator(base, &name);
        if (name.empty()) fail("typedef without a name");
        types_.typedefs_[name] = t;
      } while (accept(","));
      accept(";");
      expect_end();
      return;
    }
    Base base = base_type("");
    while (!at(";") && tok().kind != CToken::End) {  // `struct S {...} x;`: the variable is ignored
      std::string name;
      declarator(base, &name);
      if (!accept(",")) break;
    }
    accept(";");
    expect_end();
  }

 private:
  struct Base {
    Type type;
    bool is_char = false;  // plain `char`: arrays of it are strings
  };

  const CToken &tok() const { return toks_[pos_]; }
  bool at(const char *p) const { return tok().kind != CToken::End && tok().text == p; }
  bool accept(const char *p) {
    if (!at(p)) return false;
    pos_++;
    return true;
  }
  void expect(const char *p) {
    if (!accept(p)) fail(std::string("expected '") + p + "'" + near());
  }
  void expect_end() {
    if (tok().kind != CToken::End) fail("unexpected '" + tok().text + "'");
  }
  std::string near() const { return tok().kind == CToken::End ? " at the end" : " before '" + tok().text + "'"; }
  [[noreturn]] void fail(const std::string &m) const { throw ParseFailure{m}; }

  // __attribute__((packed)), __attribute__((aligned(N))); other attributes are skipped.
  void attributes(bool *packed, uint32_t *aligned) {
    while (at("__attribute__") || at("__attribute")) {
      pos_++;
      expect("(");
      expect("(");
      int depth = 2;
      while (depth > 0 && tok().kind != CToken::End) {
        if (tok().text == "packed" || tok().text == "__packed__") {
          if (packed) *packed = true;
        } else if ((tok().text == "aligned" || tok().text == "__aligned__") && toks_[pos_ + 1].text == "(") {
          pos_ += 2;
          uint32_t a = static_cast<uint32_t>(constant());
          expect(")");
          if (aligned) *aligned = std::max(*aligned, a);
          continue;
        }
        if (tok().text == "(") depth++;
        if (tok().text == ")") depth--;
        pos_++;
      }
    }
  }

  bool qualifier() {
    static const char *const kQualifiers[] = {"const",        "volatile", "restrict", "__restrict", "static",  "extern",
                                              "__volatile__", "__const",  "register", "__user",     "__kernel"};
    for (const char *q : kQualifiers)
      if (accept(q)) return true;
    return false;
  }

  // The type before the declarators: int words, struct/union/enum, typedef names.
  Base base_type(const std::string &outer) {
    while (qualifier() || at("__attribute__")) attributes(nullptr, nullptr);
    if (at("struct") || at("union")) return {record(outer), false};
    if (at("enum")) return {enumeration(), false};
    int longs = 0, shorts = 0, chars = 0;
    bool is_unsigned = false, is_signed = false, is_void = false, words = false;
    while (tok().kind == CToken::Ident) {
      const std::string &w = tok().text;
      if (w == "long")
        longs++;
      else if (w == "short")
        shorts++;
      else if (w == "char")
        chars++;
      else if (w == "int")
        ;  // the default width: only long, short and char change it
      else if (w == "unsigned")
        is_unsigned = true;
      else if (w == "signed")
        is_signed = true;
      else if (w == "void")
        is_void = true;
      else if (w == "float" || w == "double")
        return floating(w, longs);
      else if (!qualifier())
        break;
      else
        continue;
      pos_++;
      words = true;
    }
    if (is_void) return {Type::void_(), false};
    if (words) {
      uint32_t size = chars ? 1 : shorts ? 2 : longs ? 8 : 4;
      return {Type::integer(size, !is_unsigned), chars && !is_unsigned && !is_signed};
    }
    if (tok().kind != CToken::Ident) fail("expected a type" + near());
    std::string name = tok().text;
    pos_++;
    while (qualifier()) {
    }
    auto td = types_.typedefs_.find(name);
    if (td != types_.typedefs_.end()) return {td->second, false};
    if (auto t = fixed_width_int(name)) return {*t, false};
    if (resolve_)
      if (auto t = resolve_(name)) return {*t, false};
    fail("unknown type '" + name + "'");
  }

  // float / double: laid out by size, but of no type btc can compute with; as in bpftrace, such a
  // member's value prints as null (kind None with a size, name "float" / "double").
  Base floating(const std::string &word, int longs) {
    if (longs) fail("long double members are not supported");
    pos_++;
    while (qualifier()) {
    }
    Type t;
    t.size = word == "float" ? 4 : 8;
    t.name = word;
    return {t, false};
  }

  // struct/union [name] [{ members }]: a reference or a definition.
  Type record(const std::string &outer) {
    bool is_union = tok().text == "union";
    pos_++;
    bool packed = false;
    uint32_t aligned = 0;
    attributes(&packed, &aligned);
    std::string tag = is_union ? "union " : "struct ";
    std::string name;
    if (tok().kind == CToken::Ident) {
      name = tag + tok().text;
      pos_++;
    }
    if (!at("{")) {
      if (name.empty()) fail("expected a struct name or '{'" + near());
      return reference(name);
    }
    pos_++;
    if (name.empty())
      name = tag + (outer.empty() ? "" : outer.substr(outer.find(' ') + 1) + "::") + "(anonymous " +
             std::to_string(++types_.anonymous_) + ")";
    ScriptRecord rec;
    rec.name = name;
    std::vector<Member> members;
    while (!accept("}")) {
      if (tok().kind == CToken::End) fail("unterminated " + name);
      if (accept(";")) continue;
      members_of_line(name, &members);
    }
    attributes(&packed, &aligned);
    layout(&rec, members, is_union, packed, aligned);
    types_.records_[name] = rec;
    return record_type(rec);
  }

  static Type record_type(const ScriptRecord &rec) {
    Type t;
    t.kind = TypeKind::Record;
    t.name = rec.name;
    t.size = rec.size;
    return t;
  }

  // A named record that is not being defined here: the script's, else the resolver's (kernel
  // BTF), else an incomplete record (fine behind a pointer).
  Type reference(const std::string &name) {
    auto it = types_.records_.find(name);
    if (it != types_.records_.end()) return record_type(it->second);
    if (resolve_)
      if (auto t = resolve_(name)) return *t;
    Type t;
    t.kind = TypeKind::Record;
    t.name = name;
    return t;
  }

  struct Member {
    std::string name;
    Type type;
    int bits = -1;  // bitfield width, -1 when not a bitfield
  };

  // `int a, *b, c[4];` or `unsigned x : 3;` (the ';' may be missing before '}', as clang allows).
  void members_of_line(const std::string &outer, std::vector<Member> *out) {
    Base base = base_type(outer);
    if (at(";") || at("}")) {  // an anonymous struct/union member, or a bare declaration
      accept(";");
      if (base.type.kind == TypeKind::Record && base.type.name.find("(anonymous") != std::string::npos)
        out->push_back({"", base.type, -1});
      return;
    }
    while (true) {
      Member m;
      if (at(":")) {
        m.type = base.type;  // unnamed bitfield (padding)
      } else {
        m.type = declarator(base, &m.name);
      }
      if (accept(":")) m.bits = static_cast<int>(constant());
      attributes(nullptr, nullptr);
      if (m.type.kind == TypeKind::Void) fail("member '" + m.name + "' has type void");
      if ((m.type.kind == TypeKind::Record && m.type.size == 0 && m.type.btf_id <= 0))
        fail("member '" + m.name + "' has incomplete type '" + m.type.name + "'");
      out->push_back(m);
      if (!accept(",")) break;
    }
    if (!accept(";") && !at("}")) fail("expected ';'" + near());
  }

  // Pointers, the name, array suffixes; `(*name)(...)` is a function pointer.
  Type declarator(const Base &base, std::string *name) {
    Type t = base.type;
    bool char_elem = base.is_char;
    while (accept("*")) {
      t = Type::pointer_to(t);
      char_elem = false;
      while (qualifier()) {
      }
    }
    if (accept("(")) {
      expect("*");
      if (tok().kind == CToken::Ident) *name = toks_[pos_++].text;
      expect(")");
      expect("(");
      for (int depth = 1; depth > 0 && tok().kind != CToken::End; pos_++) {
        if (tok().text == "(") depth++;
        if (tok().text == ")") depth--;
      }
      return Type::pointer_to(Type::void_());
    }
    if (tok().kind == CToken::Ident) *name = toks_[pos_++].text;
    std::vector<uint32_t> dims;
    while (accept("[")) {
      dims.push_back(at("]") ? 0 : static_cast<uint32_t>(constant()));
      expect("]");
    }
    for (size_t i = dims.size(); i-- > 0;) {
      if (char_elem && i + 1 == dims.size()) {
        t = Type::string(dims[i]);
        t.well_formed = true;
      } else {
        t = Type::array_of(t, dims[i]);
      }
    }
    return t;
  }

  // enum [name] [{ A, B = 5, C = B << 1 }]
  Type enumeration() {
    pos_++;
    attributes(nullptr, nullptr);
    std::string name = "enum (anonymous)";
    if (tok().kind == CToken::Ident) name = "enum " + toks_[pos_++].text;
    if (accept("{")) {
      auto &list = types_.enums_[name];
      int64_t next = 0;
      while (!accept("}")) {
        if (tok().kind != CToken::Ident) fail("expected an enumerator" + near());
        std::string e = toks_[pos_++].text;
        if (accept("=")) next = constant();
        list.emplace_back(e, next);
        enum_values_[e] = next;
        next++;
        if (!accept(",") && !at("}")) fail("expected ',' or '}'" + near());
      }
      attributes(nullptr, nullptr);
    } else if (!types_.enums_.count(name)) {
      fail("unknown " + name);
    }
    Type t = Type::integer(4, false);
    for (const auto &[n, v] : types_.enums_[name])
      if (v < 0 || v > 0xffffffffLL) t.size = 8;
    t.name = name;
    return t;
  }

  // Integer constant expressions: numbers, enumerators, sizeof is not needed; + - * / % << >> | & ^ ~ ().
  int64_t constant() { return binary(0); }

  static int precedence(const std::string &op) {
    if (op == "|") return 1;
    if (op == "^") return 2;
    if (op == "&") return 3;
    if (op == "<<" || op == ">>") return 4;
    if (op == "+" || op == "-") return 5;
    if (op == "*" || op == "/" || op == "%") return 6;
    return 0;
  }

  int64_t binary(int min_prec) {
    int64_t l = unary();
    while (tok().kind == CToken::Punct) {
      std::string op = tok().text;
      int p = precedence(op);
      if (p == 0 || p <= min_prec) break;
      pos_++;
      int64_t r = binary(p);
      if (op == "|")
        l |= r;
      else if (op == "^")
        l ^= r;
      else if (op == "&")
        l &= r;
      else if (op == "<<")
        l = static_cast<int64_t>(static_cast<uint64_t>(l) << (r & 63));
      else if (op == ">>")
        l >>= (r & 63);
      else if (op == "+")
        l += r;
      else if (op == "-")
        l -= r;
      else if (op == "*")
        l *= r;
      else if (r == 0)
        fail("division by zero in a constant");
      else
        l = op == "/" ? l / r : l % r;
    }
    return l;
  }

  int64_t unary() {
    if (accept("-")) return -unary();
    if (accept("+")) return unary();
    if (accept("~")) return ~unary();
    if (accept("(")) {
      int64_t v = constant();
      expect(")");
      return v;
    }
    if (tok().kind == CToken::Number) return static_cast<int64_t>(toks_[pos_++].value);
    if (tok().kind == CToken::Ident) {
      auto it = enum_values_.find(tok().text);
      if (it != enum_values_.end()) {
        pos_++;
        return it->second;
      }
      if (auto e = types_.enumerator(tok().text)) {
        pos_++;
        return e->value;
      }
    }
    fail("expected a constant" + near());
  }

  uint32_t align_of(const Type &t) const {
    switch (t.kind) {
      case TypeKind::Array:
        return t.inner.empty() ? 1 : align_of(t.inner[0]);
      case TypeKind::String:
        return 1;
      case TypeKind::Record: {
        auto it = types_.records_.find(t.name);
        if (it != types_.records_.end() && t.btf_id <= 0) return it->second.align;
        uint32_t a = 8;  // a kernel record: the largest power of two (up to 8) dividing its size
        while (a > 1 && t.size % a) a /= 2;
        return a;
      }
      default:
        return t.size ? std::min<uint32_t>(t.size, 8) : 1;
    }
  }

  // x86-64 System V layout: members at their alignment (1 when packed), bitfields packed into
  // units of their declared type, size rounded up to the record's alignment.
  void layout(ScriptRecord *rec, const std::vector<Member> &members, bool is_union, bool packed, uint32_t aligned) {
    uint64_t bit = 0, size_bits = 0;
    uint32_t align = 1;
    for (const Member &m : members) {
      uint32_t a = packed ? 1 : align_of(m.type);
      uint64_t unit = uint64_t(m.type.size) * 8;
      ScriptField f;
      f.name = m.name;
      f.type = m.type;
      if (is_union) bit = 0;
      if (m.bits >= 0) {
        if (!m.type.is_int()) fail("bitfield '" + m.name + "' must have an integer type");
        if (m.bits > static_cast<int>(unit)) fail("bitfield '" + m.name + "' is wider than its type");
        if (m.bits == 0) {
          bit = (bit + unit - 1) / unit * unit;
          continue;
        }
        if (!packed && bit / unit != (bit + m.bits - 1) / unit) bit = (bit + unit - 1) / unit * unit;
        // The field is read as a `size`-byte unit at a naturally aligned offset.
        uint64_t start = packed ? bit / 8 : bit / unit * m.type.size;
        f.offset = static_cast<uint32_t>(start);
        f.bit_offset = static_cast<uint32_t>(bit - start * 8);
        f.bit_size = static_cast<uint32_t>(m.bits);
        bit += m.bits;
        if (m.name.empty()) {
          size_bits = std::max(size_bits, bit);
          continue;
        }
      } else {
        bit = (bit + 7) / 8 * 8;
        bit = uint64_t(round_up(static_cast<uint32_t>(bit / 8), a)) * 8;
        f.offset = static_cast<uint32_t>(bit / 8);
        bit += unit;
      }
      align = std::max(align, a);
      size_bits = std::max(size_bits, bit);
      rec->fields.push_back(f);
    }
    if (aligned) align = std::max(align, aligned);
    rec->align = align;
    rec->size = round_up(static_cast<uint32_t>((size_bits + 7) / 8), align);
  }

  ScriptTypes &types_;
  std::vector<CToken> toks_;
  const ScriptTypes::Resolver &resolve_;
  size_t pos_ = 0;
  std::map<std::string, int64_t> enum_values_;  // enumerators of the enum being read
};

bool ScriptTypes::add_definition(const std::string &text, const Resolver &resolve, std::string *err) {
  std::string tok_err;
  std::vector<CToken> toks = tokenize(text, &tok_err);
  if (!tok_err.empty()) {
    *err = tok_err;
    return false;
  }
  try {
    CDeclParser(*this, std::move(toks), resolve).definition();
  } catch (const ParseFailure &f) {
    *err = f.message;
    return false;
  }
  return true;
}

const ScriptRecord *ScriptTypes::record(const std::string &name) const {
  auto it = records_.find(name);
  return it == records_.end() ? nullptr : &it->second;
}

bool ScriptTypes::add_record(const ScriptRecord &rec) { return records_.emplace(rec.name, rec).second; }

std::optional<ScriptField> ScriptTypes::find_field(const std::string &rec_name, const std::string &field) const {
  const ScriptRecord *rec = record(rec_name);
  if (!rec || field.empty()) return std::nullopt;
  for (const auto &f : rec->fields) {
    if (f.name == field) return f;
    if (f.name.empty()) {
      if (auto inner = find_field(f.type.name, field)) {
        inner->offset += f.offset;
        return inner;
      }
    }
  }
  return std::nullopt;
}

std::vector<std::string> ScriptTypes::field_names(const std::string &rec_name) const {
  std::vector<std::string> out;
  if (const ScriptRecord *rec = record(rec_name))
    for (const auto &f : rec->fields) {
      if (!f.name.empty())
        out.push_back(f.name);
      else
        for (auto &n : field_names(f.type.name)) out.push_back(n);
    }
  return out;
}

std::optional<Type> ScriptTypes::parse_type(const std::string &spelling) const {
  std::string s = spelling;
  auto trim = [](std::string &x) {
    while (!x.empty() && isspace(static_cast<unsigned char>(x.back()))) x.pop_back();
    size_t b = 0;
    while (b < x.size() && isspace(static_cast<unsigned char>(x[b]))) b++;
    x = x.substr(b);
  };
  trim(s);
  std::vector<uint32_t> dims;
  while (!s.empty() && s.back() == ']') {
    size_t open = s.rfind('[');
    if (open == std::string::npos) return std::nullopt;
    std::string n = s.substr(open + 1, s.size() - open - 2);
    dims.insert(dims.begin(), n.empty() ? 0 : static_cast<uint32_t>(std::strtoul(n.c_str(), nullptr, 10)));
    s.erase(open);
    trim(s);
  }
  int stars = 0;
  while (!s.empty() && s.back() == '*') {
    stars++;
    s.pop_back();
    trim(s);
  }
  std::optional<Type> base;
  if (auto it = records_.find(s); it != records_.end()) {
    base = Type();
    base->kind = TypeKind::Record;
    base->name = s;
    base->size = it->second.size;
  } else if (auto e = enums_.find(s); e != enums_.end()) {
    base = Type::integer(8, false);
    base->name = s;
  } else if (auto td = typedefs_.find(s); td != typedefs_.end()) {
    base = td->second;
  }
  if (!base) return std::nullopt;
  Type t = *base;
  for (int i = 0; i < stars; i++) t = Type::pointer_to(t);
  for (size_t i = dims.size(); i-- > 0;) t = Type::array_of(t, dims[i]);
  return t;
}

std::optional<ScriptTypes::Enumerator> ScriptTypes::enumerator(const std::string &name) const {
  for (const auto &[enum_name, list] : enums_)
    for (const auto &[n, v] : list)
      if (n == name) return Enumerator{v, enum_name};
  return std::nullopt;
}

std::vector<std::pair<std::string, int64_t>> ScriptTypes::enumerators_of(const std::string &enum_name) const {
  auto it = enums_.find(enum_name);
  if (it == enums_.end()) return {};
  return it->second;
}

std::string ScriptTypes::enumerator_name(const std::string &enum_name, int64_t value) const {
  auto it = enums_.find(enum_name);
  if (it == enums_.end()) return "";
  for (const auto &[n, v] : it->second)
    if (v == value) return n;
  return "";
}

}  // namespace btc
