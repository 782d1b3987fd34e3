#include "elf/dwarf_types.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

namespace btc {

// The open file and libdw handle, and where the complete struct/union definitions are.
struct DwarfTypes::Impl {
  int fd = -1;
  Dwarf *dwarf = nullptr;
  // "struct Foo" -> its DIE (kept as a DIE, not an offset: split units live in other files)
  std::map<std::string, Dwarf_Die> definitions;
  ~Impl() {
    if (dwarf) dwarf_end(dwarf);
    if (fd >= 0) close(fd);
  }
};

namespace {

// Calls fn(unit DIE) for every compile unit; a skeleton unit's split (.dwo) unit stands for it.
template <typename Fn>
void for_each_unit(Dwarf *dwarf, Fn fn) {
  Dwarf_CU *cu = nullptr;
  Dwarf_Half version = 0;
  uint8_t unit_type = 0;
  Dwarf_Die cudie, subdie;
  while (dwarf_get_units(dwarf, cu, &cu, &version, &unit_type, &cudie, &subdie) == 0) {
    if (unit_type == DW_UT_skeleton && dwarf_tag(&subdie) == DW_TAG_compile_unit)
      fn(&subdie);
    else
      fn(&cudie);
  }
}

// Calls fn(child) for every direct child of `die`.
template <typename Fn>
void for_each_child(Dwarf_Die *die, Fn fn) {
  Dwarf_Die child;
  if (dwarf_child(die, &child) != 0) return;
  do fn(&child);
  while (dwarf_siblingof(&child, &child) == 0);
}

std::string die_name(Dwarf_Die *die) {
  const char *n = dwarf_diename(die);
  return n ? n : "";
}

// The DIE the DW_AT_type of `die` refers to; false for `void` (no DW_AT_type).
bool type_of(Dwarf_Die *die, Dwarf_Die *out) {
  Dwarf_Attribute attr;
  return dwarf_attr_integrate(die, DW_AT_type, &attr) && dwarf_formref_die(&attr, out);
}

uint64_t udata(Dwarf_Die *die, unsigned name, uint64_t fallback) {
  Dwarf_Attribute attr;
  Dwarf_Word v = 0;
  if (!dwarf_attr_integrate(die, name, &attr) || dwarf_formudata(&attr, &v) != 0) return fallback;
  return v;
}

bool is_record_tag(int tag) {
  return tag == DW_TAG_structure_type || tag == DW_TAG_union_type || tag == DW_TAG_class_type;
}

bool is_qualifier_tag(int tag) {
  return tag == DW_TAG_typedef || tag == DW_TAG_const_type || tag == DW_TAG_volatile_type ||
         tag == DW_TAG_restrict_type || tag == DW_TAG_atomic_type;
}

std::string record_prefix(int tag) { return tag == DW_TAG_union_type ? "union " : "struct "; }

// Plain `char` (possibly const/volatile/typedef'd): arrays of it are strings, as in the script's C.
bool is_plain_char(Dwarf_Die *die) {
  Dwarf_Die cur = *die, next;
  while (is_qualifier_tag(dwarf_tag(&cur)) && dwarf_tag(&cur) != DW_TAG_typedef) {
    if (!type_of(&cur, &next)) return false;
    cur = next;
  }
  return dwarf_tag(&cur) == DW_TAG_base_type && die_name(&cur) == "char";
}

}  // namespace

// Turns DWARF type DIEs into btc Types, adding the records it meets to DwarfTypes::records_.
struct DwarfConverter {
  DwarfTypes &types;

  Type convert(Dwarf_Die *die) {
    Dwarf_Die inner;
    int tag = dwarf_tag(die);
    if (tag == DW_TAG_base_type) return base_type(die);
    if (is_qualifier_tag(tag)) return type_of(die, &inner) ? convert(&inner) : Type::void_();
    if (tag == DW_TAG_pointer_type || tag == DW_TAG_reference_type || tag == DW_TAG_rvalue_reference_type) {
      if (!type_of(die, &inner)) return Type::pointer_to(Type::void_());
      Type t = convert(&inner);
      // Pointers to what btc cannot read (functions, floats) stay plain addresses.
      return Type::pointer_to(t.is_none() ? Type::void_() : t);
    }
    if (is_record_tag(tag)) return record_ref(die);
    if (tag == DW_TAG_array_type) return array(die);
    if (tag == DW_TAG_enumeration_type) {
      bool is_signed = type_of(die, &inner) && base_type(&inner).is_signed;
      return Type::integer(static_cast<uint32_t>(udata(die, DW_AT_byte_size, 4)), is_signed);
    }
    return Type::none();  // functions, pointers to members, ...
  }

  static Type base_type(Dwarf_Die *die) {
    uint64_t enc = udata(die, DW_AT_encoding, 0), size = udata(die, DW_AT_byte_size, 0);
    if (size == 0 || size > 8 || (size & (size - 1)) != 0) return Type::none();  // __int128, long double
    switch (enc) {
      case DW_ATE_signed:
      case DW_ATE_signed_char:
        return Type::integer(static_cast<uint32_t>(size), true);
      case DW_ATE_unsigned:
      case DW_ATE_unsigned_char:
      case DW_ATE_boolean:
        return Type::integer(static_cast<uint32_t>(size), false);
      default:
        return Type::none();  // floating point, decimal, complex
    }
  }

  Type array(Dwarf_Die *die) {
    Dwarf_Die elem_die;
    if (!type_of(die, &elem_die)) return Type::none();
    Type elem = convert(&elem_die);
    if (elem.is_none() || elem.kind == TypeKind::Void) return Type::none();
    std::vector<uint32_t> dims;
    for_each_child(die, [&](Dwarf_Die *c) {
      if (dwarf_tag(c) != DW_TAG_subrange_type) return;
      uint64_t count = udata(c, DW_AT_count, 0);
      if (!count && dwarf_hasattr(c, DW_AT_upper_bound)) count = udata(c, DW_AT_upper_bound, 0) + 1;
      dims.push_back(static_cast<uint32_t>(count));
    });
    if (dims.empty()) dims.push_back(0);
    bool chars = is_plain_char(&elem_die);
    Type t = elem;
    for (size_t i = dims.size(); i-- > 0;)
      t = chars && i + 1 == dims.size() ? Type::string(dims[i]) : Type::array_of(t, dims[i]);
    return t;
  }

  std::string record_name(Dwarf_Die *die) {
    std::string n = die_name(die);
    if (n.empty()) return record_prefix(dwarf_tag(die)) + "(anonymous " + std::to_string(dwarf_dieoffset(die)) + ")";
    return record_prefix(dwarf_tag(die)) + n;
  }

  // A reference to a record; its layout is converted on first sight (recursion through pointers
  // ends at the placeholder entered before the members are read).
  Type record_ref(Dwarf_Die *die) {
    Dwarf_Die def = *die;
    std::string name = record_name(die);
    if (dwarf_hasattr(die, DW_AT_declaration)) {
      auto it = types.impl_->definitions.find(name);
      if (it == types.impl_->definitions.end()) {
        Type t;  // incomplete: fine behind a pointer
        t.kind = TypeKind::Record;
        t.name = name;
        return t;
      }
      def = it->second;
    }
    Type t;
    t.kind = TypeKind::Record;
    t.name = name;
    t.size = static_cast<uint32_t>(udata(&def, DW_AT_byte_size, 0));
    if (!types.records_.count(name)) {
      ScriptRecord &placeholder = types.records_[name];
      placeholder.name = name;
      placeholder.size = t.size;
      ScriptRecord rec = layout(&def, name, t.size);
      types.records_[name] = std::move(rec);
    }
    return t;
  }

  uint32_t align_of(const Type &t) const {
    switch (t.kind) {
      case TypeKind::Int:
        return t.size;
      case TypeKind::Pointer:
        return 8;
      case TypeKind::Array:
        return t.inner.empty() ? 1 : align_of(t.inner[0]);
      case TypeKind::Record: {
        auto it = types.records_.find(t.name);
        return it == types.records_.end() ? 1 : it->second.align;
      }
      default:
        return 1;
    }
  }

  ScriptRecord layout(Dwarf_Die *def, const std::string &name, uint32_t size) {
    ScriptRecord rec;
    rec.name = name;
    rec.size = size;
    for_each_child(def, [&](Dwarf_Die *m) {
      if (dwarf_tag(m) != DW_TAG_member) return;
      Dwarf_Die tdie;
      if (!type_of(m, &tdie)) return;
      ScriptField f;
      f.name = die_name(m);
      f.type = convert(&tdie);
      if (f.type.is_none() || f.type.kind == TypeKind::Void) return;  // a member btc cannot read
      uint64_t byte_off = udata(m, DW_AT_data_member_location, 0);
      if (dwarf_hasattr(m, DW_AT_bit_size) && !bitfield(m, byte_off, &f)) return;
      if (!f.bit_size) f.offset = static_cast<uint32_t>(byte_off);
      rec.align = std::max(rec.align, align_of(f.type));
      rec.fields.push_back(std::move(f));
    });
    return rec;
  }

  // Places a bitfield as ScriptField wants it: a unit of the member type's size at `offset`, the
  // field `bit_offset` bits into it (little endian). False when no such unit holds it.
  static bool bitfield(Dwarf_Die *m, uint64_t byte_off, ScriptField *f) {
    uint64_t bits = udata(m, DW_AT_bit_size, 0), unit = f->type.size;
    if (f->type.kind != TypeKind::Int || !bits || !unit) return false;
    uint64_t start;  // bit position from the start of the record
    if (dwarf_hasattr(m, DW_AT_data_bit_offset)) {
      start = udata(m, DW_AT_data_bit_offset, 0);
    } else {  // DWARF 2/3: counted from the most significant bit of the storage unit
      uint64_t storage = udata(m, DW_AT_byte_size, unit);
      start = byte_off * 8 + storage * 8 - udata(m, DW_AT_bit_offset, 0) - bits;
    }
    uint64_t off = start / 8 / unit * unit;
    if (start - off * 8 + bits > unit * 8) off = start / 8;
    if (start - off * 8 + bits > unit * 8) return false;
    f->offset = static_cast<uint32_t>(off);
    f->bit_offset = static_cast<uint32_t>(start - off * 8);
    f->bit_size = static_cast<uint32_t>(bits);
    return true;
  }

  // The C spelling bpftrace -lv prints: "int", "int*", "struct Foo*", "const char*", "char* const".
  static std::string spelling(Dwarf_Die *die) {
    Dwarf_Die inner;
    bool has_inner = type_of(die, &inner);
    int tag = dwarf_tag(die);
    switch (tag) {
      case DW_TAG_base_type:
      case DW_TAG_typedef:
        return die_name(die);
      case DW_TAG_pointer_type:
        return (has_inner ? spelling(&inner) : "void") + "*";
      case DW_TAG_structure_type:
      case DW_TAG_union_type:
      case DW_TAG_enumeration_type: {
        std::string prefix = tag == DW_TAG_structure_type ? "struct " : tag == DW_TAG_union_type ? "union " : "enum ";
        std::string n = die_name(die);
        return prefix + (n.empty() ? "<anonymous>" : n);
      }
      case DW_TAG_const_type:
        if (!has_inner) return "const void";
        if (dwarf_tag(&inner) == DW_TAG_pointer_type) return spelling(&inner) + " const";
        return "const " + spelling(&inner);
      default:
        return "<unknown type>";
    }
  }
};

DwarfTypes::DwarfTypes(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DwarfTypes::~DwarfTypes() = default;

std::unique_ptr<DwarfTypes> DwarfTypes::open(const std::string &path, std::string *err) {
  auto impl = std::make_unique<Impl>();
  impl->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (impl->fd < 0) {
    *err = "cannot open " + path;
    return nullptr;
  }
  impl->dwarf = dwarf_begin(impl->fd, DWARF_C_READ);
  if (!impl->dwarf) {
    *err = "no debuginfo found for " + path;
    return nullptr;
  }
  Impl *raw = impl.get();
  for_each_unit(raw->dwarf, [&](Dwarf_Die *unit) {
    for_each_child(unit, [&](Dwarf_Die *d) {
      if (!is_record_tag(dwarf_tag(d)) || dwarf_hasattr(d, DW_AT_declaration)) return;
      std::string n = die_name(d);
      if (!n.empty()) raw->definitions.emplace(record_prefix(dwarf_tag(d)) + n, *d);
    });
  });
  return std::unique_ptr<DwarfTypes>(new DwarfTypes(std::move(impl)));
}

std::optional<std::vector<DwarfParam>> DwarfTypes::function_params(const std::string &name) {
  std::optional<Dwarf_Die> found;
  for_each_unit(impl_->dwarf, [&](Dwarf_Die *unit) {
    if (found) return;
    for_each_child(unit, [&](Dwarf_Die *d) {
      if (!found && dwarf_tag(d) == DW_TAG_subprogram && !dwarf_hasattr(d, DW_AT_declaration) && die_name(d) == name)
        found = *d;
    });
  });
  if (!found) return std::nullopt;
  Dwarf_Die fn = *found;
  DwarfConverter conv{*this};
  std::vector<DwarfParam> params;
  for_each_child(&fn, [&](Dwarf_Die *p) {
    if (dwarf_tag(p) != DW_TAG_formal_parameter) return;
    DwarfParam param;
    param.name = die_name(p);
    Dwarf_Die tdie;
    if (type_of(p, &tdie)) {
      param.type = conv.convert(&tdie);
      param.spelling = DwarfConverter::spelling(&tdie);
    }
    params.push_back(std::move(param));
  });
  return params;
}

std::optional<Type> DwarfTypes::record(const std::string &name) {
  auto it = impl_->definitions.find(name);
  if (it == impl_->definitions.end()) return std::nullopt;
  Dwarf_Die die = it->second;
  DwarfConverter conv{*this};
  return conv.record_ref(&die);
}

}  // namespace btc
