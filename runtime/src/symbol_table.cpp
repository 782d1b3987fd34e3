#include "symbol_table.h"

#include <elf.h>

#include <algorithm>

namespace btc::rt {

void SymbolTable::add(uint64_t address, uint64_t size, int elf_type, bool defined, std::string name) {
  if (elf_type != STT_NOTYPE && elf_type != STT_OBJECT && elf_type != STT_FUNC && elf_type != STT_GNU_IFUNC) return;
  symbols_.push_back({address, size, std::move(name), defined});
}

void SymbolTable::finish() {
  std::stable_sort(symbols_.begin(), symbols_.end(), [](const TableSymbol &a, const TableSymbol &b) {
    return a.address != b.address ? a.address < b.address : a.size > b.size;
  });
}

const TableSymbol *SymbolTable::find(uint64_t vaddr) const {
  auto above = std::upper_bound(symbols_.begin(), symbols_.end(), vaddr,
                                [](uint64_t a, const TableSymbol &s) { return a < s.address; });
  if (above == symbols_.begin()) return nullptr;
  uint64_t start = std::prev(above)->address;
  auto first =
      std::lower_bound(symbols_.begin(), above, start, [](const TableSymbol &s, uint64_t a) { return s.address < a; });
  for (auto it = first; it != above; ++it)
    if (it->defined && (it->size == 0 || vaddr - it->address < it->size)) return &*it;
  return nullptr;
}

}  // namespace btc::rt
