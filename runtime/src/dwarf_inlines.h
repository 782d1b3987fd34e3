// Inlined calls of user-space code for ustack frames: the DW_TAG_inlined_subroutine entries of
// .debug_info, with their address ranges (DW_AT_low_pc/high_pc, DW_AT_ranges), the name of the
// function inlined (through DW_AT_abstract_origin / DW_AT_specification) and the place of the
// call (DW_AT_call_file, DW_AT_call_line). bpftrace shows each as an extra "[inlined]" frame.
#ifndef BTC_RT_DWARF_INLINES_H
#define BTC_RT_DWARF_INLINES_H

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "dwarf_reader.h"

namespace btc::rt {

class DwarfInlines {
 public:
  struct Call {
    std::string name;    // the function inlined
    uint32_t call_file;  // index into the file names of DwarfLines (UINT32_MAX: unknown)
    uint32_t call_line;
  };

  // Reads the inlined calls of one compile unit: `base` is its DW_AT_low_pc (the base of its
  // range lists), its line table's file number N is file first_file + N of DwarfLines (nfiles
  // of them).
  void add_unit(const DwarfSections &s, const UnitHeader &unit, uint64_t base, uint32_t first_file, uint32_t nfiles);
  // The inlined calls whose code covers vaddr, outermost first.
  std::vector<Call> at(uint64_t vaddr) const;

 private:
  struct Range {
    uint64_t low, high;
    uint32_t depth;  // nesting in the DIE tree
    uint64_t die;    // the DW_TAG_inlined_subroutine entry
    uint32_t call_file, call_line;
  };
  std::vector<uint64_t> ranges_of(const DwarfSections &s, const UnitHeader &unit, uint64_t base,
                                  uint64_t offset) const;  // (low, high) pairs
  std::string name_of(uint64_t die) const;

  std::vector<Range> ranges_;
  std::map<uint64_t, std::string> names_;  // DIE offset -> DW_AT_name
  std::map<uint64_t, uint64_t> origins_;   // DIE offset -> DIE its name comes from
};

}  // namespace btc::rt

#endif
