// Types of functions and records in a user-space binary's DWARF debug info, read at build time
// with elfutils' libdw: they type `args` in uprobes (`args.n`, `args.foo->name`) and let a script
// name the binary's structs (`(struct Foo *)arg0`) without defining them.
// Records come out as ScriptRecords (members at constant offsets), the same form as structs the
// script defines, so member access, subscripts and str() on them need nothing new.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "types/script_types.h"
#include "types/types.h"

namespace btc {

struct DwarfParam {
  std::string name;      // "" for an unnamed parameter
  Type type;             // TypeKind::None when btc cannot represent the type (float, __int128, ...)
  std::string spelling;  // the C type as bpftrace -lv shows it: "int*", "struct Foo*", "char"
};

class DwarfTypes {
 public:
  // The debug info of the ELF file `path`; null with *err set when the file cannot be read or
  // carries no DWARF.
  static std::unique_ptr<DwarfTypes> open(const std::string &path, std::string *err);
  ~DwarfTypes();
  DwarfTypes(const DwarfTypes &) = delete;
  DwarfTypes &operator=(const DwarfTypes &) = delete;

  // The parameters of the function `name` in declaration order; nullopt when no compile unit
  // defines it. Records the parameters reach are added to records().
  std::optional<std::vector<DwarfParam>> function_params(const std::string &name);

  // The record "struct Foo" / "union U" (complete definition), added to records() with every
  // record it reaches; nullopt when the debug info does not define it.
  std::optional<Type> record(const std::string &name);

  // Every record converted so far, by name.
  const std::map<std::string, ScriptRecord> &records() const { return records_; }

 private:
  struct Impl;
  explicit DwarfTypes(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  std::map<std::string, ScriptRecord> records_;
  friend struct DwarfConverter;
};

}  // namespace btc
