// Source locations of user-space code for ustack frames (config show_debug_info, bpftrace's
// default): the DWARF line tables (.debug_line, versions 2 to 5) of an ELF file map a virtual
// address to "DIR/FILE:LINE", spelled as bpftrace (blazesym) spells it, and the inlined calls
// of .debug_info (dwarf_inlines.h) add the functions inlined there. A small reader of our own:
// libdw is far too big to link into every tool.
//
// Only tools whose scripts print ustack link this file: their generated tables point
// btc_tool.source_line at btc_dwarf_source_line; nothing else in the runtime refers to it
// (tests/structure/runtime_link_check.sh checks that).
#ifndef BTC_RT_DWARF_LINES_H
#define BTC_RT_DWARF_LINES_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "btc/abi.h"  // btc_dwarf_source_line
#include "dwarf_inlines.h"
#include "dwarf_reader.h"

namespace btc::rt {

// The line tables of one ELF file.
class DwarfLines {
 public:
  // False when `path` cannot be read as ELF or has no line tables.
  bool load(const std::string &path);
  // "DIR/FILE:LINE" (or "FILE:LINE" when the file's directory is the compile unit's own) of the
  // row covering `vaddr`; "" when no line-table sequence covers it.
  std::string locate(uint64_t vaddr) const;

  // The frames of vaddr as bpftrace lists them, innermost first: one per inlined call covering
  // it (`name` set), then the function itself (`name` empty). Each has its location, "" when
  // unknown: the innermost one the line table's, every other one the place of the call it
  // contains.
  struct Frame {
    std::string name, where;
  };
  std::vector<Frame> frames(uint64_t vaddr) const;

  // Parsing, on the raw section contents.
  void parse(const DwarfSections &s);

 private:
  struct Row {
    uint64_t address;
    uint32_t file;  // index into files_
    uint32_t line;
  };
  struct Sequence {
    uint64_t start, end;
    std::vector<Row> rows;  // by address, one per address
  };
  // Appends the line program at `offset` of .debug_line (its files to files_); false when it
  // cannot be read.
  bool parse_program(const DwarfSections &s, uint64_t offset, const std::string &comp_dir);
  std::string file_line(uint32_t file, uint32_t line) const;

  std::vector<std::string> files_;   // rendered "DIR/FILE" of every table, back to back
  std::vector<Sequence> sequences_;  // sorted by start
  DwarfInlines inlines_;
};

}  // namespace btc::rt

#endif
