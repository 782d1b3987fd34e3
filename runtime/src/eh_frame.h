// dw_ustack's unwind tables: the .eh_frame section of an x86-64 ELF file, its call frame
// information (CIEs and FDEs) evaluated into one row per code range that says how to find the
// caller's frame there:
//
//   CFA (the stack pointer before the call) = rsp or rbp + offset
//   return address                          = the 8 bytes at CFA - 8
//   caller's rbp                            = unchanged, or the 8 bytes at CFA + rbp_offset
//
// Rows are sorted by pc (the file's virtual addresses) and a row holds up to the next one. Code
// no FDE covers, and code whose rules btc cannot follow (DWARF expressions, a CFA in another
// register), get a row with cfa_reg kCfaNone: unwinding stops there. The one expression btc
// follows is that of PLT stubs (kCfaPlt).
#ifndef BTC_RT_EH_FRAME_H
#define BTC_RT_EH_FRAME_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace btc::rt {

// kCfaPlt: the DWARF expression linkers give PLT stubs, CFA = rsp + 8, plus 8 when
// (ip & 15) >= cfa_offset (past the stub's push).
enum UnwindCfaReg : uint8_t { kCfaNone = 0, kCfaRsp = 1, kCfaRbp = 2, kCfaPlt = 3 };

struct UnwindRow {
  uint64_t pc = 0;
  int32_t cfa_offset = 0;
  uint8_t cfa_reg = kCfaNone;
  bool rbp_saved = false;  // the caller's rbp is at CFA + rbp_offset (else unchanged)
  int32_t rbp_offset = 0;
};

// A PT_LOAD segment: file bytes [offset, offset + filesz) are mapped at vaddr.
struct LoadSegment {
  uint64_t offset = 0, vaddr = 0, filesz = 0;
  bool executable = false;
};

struct UnwindFile {
  std::vector<UnwindRow> rows;  // sorted by pc, no two with the same pc
  std::vector<LoadSegment> segments;
};

// Evaluates .eh_frame `data` (`size` bytes, loaded at virtual address `section_vaddr`) into
// sorted rows. False with a message when the section is malformed.
bool parse_eh_frame(const uint8_t *data, size_t size, uint64_t section_vaddr, std::vector<UnwindRow> &rows,
                    std::string &error);

// Reads the .eh_frame rows and the PT_LOAD segments of x86-64 ELF file `path`. False with a
// message when the file cannot be read as such; a file without .eh_frame has no rows.
bool read_unwind_file(const std::string &path, UnwindFile &file, std::string &error);

// The row that holds at pc (nullptr: before the first row).
const UnwindRow *find_unwind_row(const std::vector<UnwindRow> &rows, uint64_t pc);

}  // namespace btc::rt

#endif
