// Symbols of user-space code, for ustack frames: the process's mappings
// (/proc/PID/maps) lead to a mapped file and an offset in it, and the file's
// ELF symbol tables (.symtab, else .dynsym) name the function there.
#ifndef BTC_RT_USER_SYMBOLS_H
#define BTC_RT_USER_SYMBOLS_H

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace btc::rt {

// One line of /proc/PID/maps that maps a file.
struct Mapping {
  uint64_t start = 0, end = 0, file_offset = 0;
  std::string path;
};

// The file-backed mappings in /proc/PID/maps text.
std::vector<Mapping> parse_proc_maps(std::string_view text);

// A binary's functions, by the virtual address the ELF file gives them.
class ElfFunctions {
 public:
  // False when `path` cannot be read as ELF.
  bool load(const std::string &path);
  // The virtual address of a file offset (through the PT_LOAD segments);
  // false when no segment maps it.
  bool vaddr_of_offset(uint64_t offset, uint64_t &vaddr) const;
  // The file offset of a virtual address (the inverse); false when no segment maps it.
  bool offset_of_vaddr(uint64_t vaddr, uint64_t &offset) const;
  // The size of function `name` as its symbol gives it; 0 when unknown (or no such function).
  uint64_t function_size(const std::string &name) const;
  // The virtual address of function `name`; false when the binary has no such function.
  bool function_address(const std::string &name, uint64_t &vaddr) const;
  // "name+offset" (or just "name") of the function containing vaddr; "" when none does.
  std::string symbolize(uint64_t vaddr, bool with_offset = true) const;

 private:
  struct Segment {
    uint64_t offset, vaddr, size;
  };
  struct Function {
    uint64_t address, size;
    std::string name;
  };
  std::vector<Segment> segments_;
  std::vector<Function> functions_;  // sorted by address
};

// Source locations from DWARF line tables (btc_tool.source_line); set once before symbols are
// resolved. NULL: frames have none.
using SourceLocator = int (*)(const char *path, uint64_t vaddr, char *buf, size_t size);
void set_source_locator(SourceLocator locator);

class UserSymbols {
 public:
  // "name+offset" for `address` in process `pid`, or the address in hex
  // (bpftrace's "0x55d0c0ffee00") when it cannot be resolved, e.g. after
  // the process exited. with_module (perf stack mode) appends " (/path)"
  // or " ([unknown])". Without with_offset (usym()), only the function's name.
  // with_source (ustack) adds what a source locator (when set) knows of the address: bpftrace
  // mode appends "@DIR/FILE:LINE", and both modes put a line before it for each function
  // inlined there ("[inlined] NAME@DIR/FILE:LINE", perf mode "NAME (inlined)").
  std::string resolve(uint32_t pid, uint64_t address, bool with_module = false, bool with_offset = true,
                      bool with_source = false);

 private:
  const std::vector<Mapping> &mappings(uint32_t pid);
  const ElfFunctions *functions(const std::string &path);

  std::map<uint32_t, std::vector<Mapping>> maps_;
  std::map<std::string, std::unique_ptr<ElfFunctions>> files_;  // null: unreadable
};

}  // namespace btc::rt

#endif
