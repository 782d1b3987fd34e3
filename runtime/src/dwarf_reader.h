// The pieces of DWARF that the runtime's readers share (dwarf_lines.cpp, dwarf_inlines.cpp):
// a bounds-checked section cursor, unit headers, abbreviation tables and attribute values.
// Only tools whose scripts print ustack link these (see dwarf_lines.h).
#ifndef BTC_RT_DWARF_READER_H
#define BTC_RT_DWARF_READER_H

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string_view>
#include <vector>

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

// A bounds-checked cursor over one section; reading past the end sets `bad` and yields zeros.
struct Cursor {
  std::string_view data;
  size_t pos = 0;
  bool bad = false;
  bool dwarf64 = false;

  bool has(size_t n) {
    if (!bad && n <= data.size() - std::min(pos, data.size()) && pos <= data.size()) return true;
    bad = true;
    return false;
  }
  uint64_t fixed(size_t n) {  // little-endian, n <= 8
    if (!has(n)) return 0;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) v |= static_cast<uint64_t>(static_cast<uint8_t>(data[pos + i])) << (8 * i);
    pos += n;
    return v;
  }
  uint8_t u8() { return static_cast<uint8_t>(fixed(1)); }
  uint64_t uleb() {
    uint64_t v = 0;
    for (unsigned shift = 0; has(1); shift += 7) {
      uint8_t b = static_cast<uint8_t>(data[pos++]);
      if (shift < 64) v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) break;
    }
    return v;
  }
  int64_t sleb() {
    int64_t v = 0;
    unsigned shift = 0;
    uint8_t b = 0;
    while (has(1)) {
      b = static_cast<uint8_t>(data[pos++]);
      if (shift < 64) v |= static_cast<int64_t>(static_cast<uint64_t>(b & 0x7f) << shift);
      shift += 7;
      if (!(b & 0x80)) break;
    }
    if (shift < 64 && (b & 0x40)) v |= static_cast<int64_t>(~0ull << shift);  // sign extension
    return v;
  }
  std::string_view cstr() {
    size_t end = pos < data.size() ? data.find('\0', pos) : std::string_view::npos;
    if (end == std::string_view::npos) {
      bad = true;
      return {};
    }
    std::string_view s = data.substr(pos, end - pos);
    pos = end + 1;
    return s;
  }
  uint64_t offset() { return fixed(dwarf64 ? 8 : 4); }
  void skip(uint64_t n) {
    if (has(n)) pos += n;
  }
  // A unit's initial length (32- or 64-bit DWARF); returns the unit's end.
  size_t unit_end() {
    uint64_t len = fixed(4);
    dwarf64 = len == 0xffffffff;
    if (dwarf64) len = fixed(8);
    if (!has(len)) return pos;
    return pos + len;
  }
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
