#include "ksyms.h"

#include <algorithm>
#include <cstdlib>

#include "printable.h"
#include "text_file.h"

namespace btc::rt {

void KernelSymbols::parse(std::string_view text) {
  symbols_.clear();
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string line(text.substr(pos, end - pos));
    pos = end + 1;

    // "<hex address> <type> <name>[\t[module]]"
    char *rest = nullptr;
    uint64_t address = strtoull(line.c_str(), &rest, 16);
    if (rest == line.c_str() || address == 0) continue;
    size_t name_start = line.find(' ', rest - line.c_str() + 1);
    if (name_start == std::string::npos) continue;
    name_start++;
    size_t name_end = line.find_first_of(" \t", name_start);
    if (name_end == std::string::npos) name_end = line.size();
    symbols_.push_back({address, line.substr(name_start, name_end - name_start)});
  }
  std::stable_sort(symbols_.begin(), symbols_.end(),
                   [](const Symbol &a, const Symbol &b) { return a.address < b.address; });
  loaded_ = true;
}

void KernelSymbols::load_once() {
  if (loaded_) return;
  loaded_ = true;
  parse(read_text_file("/proc/kallsyms"));
}

std::string KernelSymbols::resolve(uint64_t address) const {
  auto it = std::upper_bound(symbols_.begin(), symbols_.end(), address,
                             [](uint64_t a, const Symbol &s) { return a < s.address; });
  if (it == symbols_.begin()) return format_address(address);
  return std::prev(it)->name;
}

std::string KernelSymbols::resolve_with_offset(uint64_t address) const {
  auto it = std::upper_bound(symbols_.begin(), symbols_.end(), address,
                             [](uint64_t a, const Symbol &s) { return a < s.address; });
  if (it == symbols_.begin()) return format_address(address);
  --it;
  return it->name + "+" + std::to_string(address - it->address);
}

static const KernelSymbols &kernel_symbols() {
  static KernelSymbols table;
  table.load_once();
  return table;
}

std::string resolve_kernel_symbol(uint64_t address) { return kernel_symbols().resolve(address); }

std::string resolve_kernel_symbol_with_offset(uint64_t address) {
  return kernel_symbols().resolve_with_offset(address);
}

}  // namespace btc::rt
