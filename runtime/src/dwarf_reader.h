// The pieces of DWARF that the runtime's readers share (dwarf_lines.cpp, dwarf_inlines.cpp):
// unit headers, abbreviation tables and attribute values.
// Only tools whose scripts print ustack link these (see dwarf_lines.h).
#ifndef BTC_RT_DWARF_READER_H
#define BTC_RT_DWARF_READER_H

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string_view>
#include <vector>

#include "byte_cursor.h"

namespace btc::rt {

// DWARF constants the readers need (dwarf.h belongs to libdw's headers).
enum : uint64_t {
  TAG_subprogram = 0x2e,
  TAG_inlined_subroutine = 0x1d,
  AT_name = 0x03,
  AT_stmt_list = 0x10,
  AT_low_pc = 0x11,
  AT_high_pc = 0x12,
  AT_comp_dir = 0x1b,
  AT_abstract_origin = 0x31,
  AT_specification = 0x47,
  AT_ranges = 0x55,
  AT_call_file = 0x58,
  AT_call_line = 0x59,
  FORM_addr = 0x01,
  FORM_ref_addr = 0x10,
  FORM_ref1 = 0x11,
  FORM_ref2 = 0x12,
  FORM_ref4 = 0x13,
  FORM_ref8 = 0x14,
  FORM_ref_udata = 0x15,
  LNCT_path = 1,
  LNCT_directory_index = 2,
};

// The raw contents of the debug sections (empty when absent).
struct DwarfSections {
  std::string_view info, abbrev, line, str, line_str, ranges, rnglists;
};

// A unit header of .debug_info; `die` is where its first DIE starts.
struct UnitHeader {
  size_t start = 0, end = 0, die = 0;
  unsigned version = 0, addr_size = 8;
  uint64_t abbrev_offset = 0;
  bool dwarf64 = false;
};
// Reads the header at c.pos; false (c.bad) when it is cut short. Leaves c at the first DIE.
bool read_unit_header(Cursor &c, UnitHeader &unit);

// The NUL-terminated string at `offset` of a string section.
inline std::string_view string_at(std::string_view section, uint64_t offset) {
  if (offset >= section.size()) return {};
  size_t end = section.find('\0', offset);
  return section.substr(offset, end == std::string_view::npos ? std::string_view::npos : end - offset);
}

// An attribute value: a number, or a string (string forms).
struct Value {
  uint64_t number = 0;
  std::string_view text;
};

// Reads one attribute value of form `form` in a unit of `version` and `addr_size`.
Value read_form(Cursor &c, uint64_t form, int64_t implicit, unsigned version, unsigned addr_size,
                const DwarfSections &s);

struct AttrSpec {
  uint64_t name, form;
  int64_t implicit;  // DW_FORM_implicit_const's value
};
struct Abbrev {
  uint64_t tag = 0;
  bool children = false;
  std::vector<AttrSpec> attrs;
};
// The abbreviation table at `offset` of .debug_abbrev, by code.
std::map<uint64_t, Abbrev> read_abbrevs(std::string_view abbrev, uint64_t offset);

}  // namespace btc::rt

#endif
