// Naming an address by the symbols of one ELF symbol table (.symtab or .dynsym) the way
// bpftrace's symbolizer (blazesym) does, so that ustack and usym frames name the same symbol:
//   - functions (STT_FUNC, STT_GNU_IFUNC), data (STT_OBJECT) and untyped symbols (STT_NOTYPE,
//     e.g. the linker's `_end`) all count; sections, files and TLS symbols do not;
//   - the candidates are the symbols at the highest address at or below the address, larger
//     ones first (then in table order); the first one that is defined and covers the address
//     wins, a symbol of size 0 (size unknown) covering everything from its start on;
//   - when none of them does, the address has no name in this table (no older symbol is tried).
// So an address past the end of a program (a libc frame named against the executable, as
// cache_user_symbols = PER_PROGRAM does) gets the program's last symbol, `_end`.
#ifndef BTC_RT_SYMBOL_TABLE_H
#define BTC_RT_SYMBOL_TABLE_H

#include <cstdint>
#include <string>
#include <vector>

namespace btc::rt {

struct TableSymbol {
  uint64_t address = 0, size = 0;
  std::string name;
  bool defined = true;  // false: SHN_UNDEF (ordered with the others, never chosen)
};

class SymbolTable {
 public:
  // Adds a symbol of ELF type `elf_type` (STT_*); types that do not name code or data are ignored.
  void add(uint64_t address, uint64_t size, int elf_type, bool defined, std::string name);
  // Orders the symbols; call once after the last add() and before find().
  void finish();
  // The symbol naming vaddr; NULL when none does.
  const TableSymbol *find(uint64_t vaddr) const;
  bool empty() const { return symbols_.empty(); }

 private:
  std::vector<TableSymbol> symbols_;  // by address, then by size (largest first), then table order
};

}  // namespace btc::rt

#endif
