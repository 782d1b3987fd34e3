// C types defined in the script itself: `struct Foo { int x; char s[8]; }`, unions, enums and
// typedefs written before the probes. btc reads these definitions itself and lays the records out
// by the x86-64 System V rules (with __attribute__((packed)) / aligned(N)); member accesses on them
// are compiled to plain reads at constant offsets, so the definitions never reach clang.
// Types the script only names (struct task_struct, u32, pid_t) are resolved by the caller,
// normally from kernel BTF.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "types/types.h"

namespace btc {

struct ScriptField {
  std::string name;  // "" for an anonymous struct/union member (its members are reachable directly)
  Type type;
  uint32_t offset = 0;      // bytes from the start of the record
  uint32_t bit_offset = 0;  // bitfields: bit position inside the bytes at `offset` (little endian)
  uint32_t bit_size = 0;    // 0 when not a bitfield
};

struct ScriptRecord {
  std::string name;  // "struct Foo", "union U", "struct Foo::(anonymous 1)"
  uint32_t size = 0;
  uint32_t align = 1;
  std::vector<ScriptField> fields;
};

class ScriptTypes {
 public:
  // Resolves a type the script names but does not define ("struct task_struct", "u32").
  using Resolver = std::function<std::optional<Type>(const std::string &spelling)>;

  // Reads one top-level definition (a CDefinition token's text, e.g. "struct Foo { int x; };").
  // Returns false and sets *err to a one-line reason when the text is not C btc understands.
  bool add_definition(const std::string &text, const Resolver &resolve, std::string *err);

  // Adds a record laid out elsewhere (a binary's DWARF debug info). A record the script defines
  // under the same name wins; returns false then.
  bool add_record(const ScriptRecord &rec);

  // The record named "struct Foo" / "union U", or null.
  const ScriptRecord *record(const std::string &name) const;
  // A member by name, looking through anonymous members; its offset is from the record start.
  std::optional<ScriptField> find_field(const std::string &record, const std::string &field) const;
  std::vector<std::string> field_names(const std::string &record) const;
  // A type spelling that names a script type: "struct Foo", "enum E", a typedef, with any '*'s
  // and [N] suffixes ("struct Foo *", "struct Foo[4]").
  std::optional<Type> parse_type(const std::string &spelling) const;
  // Enumerators: value and the enum's name ("enum Foo", "enum (anonymous)").
  struct Enumerator {
    int64_t value;
    std::string enum_name;
  };
  std::optional<Enumerator> enumerator(const std::string &name) const;
  // The enumerator name of `value` in enum `enum_name`, or "" when it has none.
  std::string enumerator_name(const std::string &enum_name, int64_t value) const;
  // Every enumerator of enum `enum_name` ("enum Foo") with its value; empty when the script has no such enum.
  std::vector<std::pair<std::string, int64_t>> enumerators_of(const std::string &enum_name) const;
  bool empty() const { return records_.empty() && enums_.empty() && typedefs_.empty(); }

 private:
  friend class CDeclParser;
  std::map<std::string, ScriptRecord> records_;
  std::map<std::string, std::vector<std::pair<std::string, int64_t>>> enums_;  // "enum E" -> enumerators
  std::map<std::string, Type> typedefs_;
  int anonymous_ = 0;
};

}  // namespace btc
