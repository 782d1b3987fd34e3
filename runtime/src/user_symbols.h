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
#include <utility>
#include <vector>

#include "btc/abi.h"
#include "symbol_table.h"

namespace btc::rt {

// One line of /proc/PID/maps that maps a file.
struct Mapping {
  uint64_t start = 0, end = 0, file_offset = 0;
  std::string path;
  bool executable = false;  // mapped with x permission
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
  // The functions whose names match shell glob `glob`, each name once, sorted by name, with
  // their virtual addresses.
  std::vector<std::pair<std::string, uint64_t>> functions_matching(const std::string &glob) const;
  // "name+offset" (or just "name") of the symbol naming vaddr, chosen as bpftrace's symbolizer
  // chooses it (symbol_table.h); "" when none does.
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
  SymbolTable symtab_, dynsym_;      // every symbol that may name an address
};

// Source locations from DWARF line tables (btc_tool.source_line); set once before symbols are
// resolved. NULL: frames have none.
using SourceLocator = int (*)(const char *path, uint64_t vaddr, char *buf, size_t size);
void set_source_locator(SourceLocator locator);

// The frames of `symbol` (function+offset) at vaddr of the ELF file at `path`, with what the
// source locator knows of the address (see UserSymbols::resolve's with_source).
std::string with_source_frames(const std::string &symbol, const std::string &path, uint64_t vaddr, bool with_module);

class UserSymbols;

}  // namespace btc::rt

// A way of naming user addresses other than through the process's mappings (bpftrace's
// cache_user_symbols = PER_PROGRAM), in user_symbol_cache.cpp, which only tools that show user
// symbols link (btc_tool.user_symbol_cache).
struct btc_user_symbol_cache {
  // Decides the mode once the command line is known; installs this object when it applies.
  void (*setup)(const btc_tool &tool, bool runs_command);
  // What UserSymbols::resolve returns for the address.
  std::string (*resolve)(btc::rt::UserSymbols &symbols, uint64_t owner, uint64_t address, bool with_module,
                         bool with_offset, bool with_source);
};

namespace btc::rt {

// Installs a way of naming user addresses (NULL: through the process's mappings).
void set_user_symbol_cache(const btc_user_symbol_cache *cache);

class UserSymbols {
 public:
  // `owner` is what ustack and usym values carry next to the address: the pid in the low 32
  // bits, 1 + the index of the probe that took it in the high ones (0: unknown).
  // "name+offset" for `address` in process `pid`, or the address in hex
  // (bpftrace's "0x55d0c0ffee00") when it cannot be resolved, e.g. after
  // the process exited. with_module (perf stack mode) appends " (/path)"
  // or " ([unknown])". Without with_offset (usym()), only the function's name.
  // with_source (ustack) adds what a source locator (when set) knows of the address: bpftrace
  // mode appends "@DIR/FILE:LINE", and both modes put a line before it for each function
  // inlined there ("[inlined] NAME@DIR/FILE:LINE", perf mode "NAME (inlined)").
  std::string resolve(uint64_t owner, uint64_t address, bool with_module = false, bool with_offset = true,
                      bool with_source = false);
  // The symbols of the ELF file at `path` (loaded once; NULL when it cannot be read).
  const ElfFunctions *functions(const std::string &path);

 private:
  const std::vector<Mapping> &mappings(uint32_t pid);

  std::map<uint32_t, std::vector<Mapping>> maps_;
  std::map<std::string, std::unique_ptr<ElfFunctions>> files_;  // null: unreadable
};

}  // namespace btc::rt

#endif
