// Kernel symbol lookup (/proc/kallsyms) for BTC_T_KSYM values.
#ifndef BTC_RT_KSYMS_H
#define BTC_RT_KSYMS_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace btc::rt {

class KernelSymbols {
 public:
  // Parses kallsyms text ("ffffffff81000000 T _stext\n..."); replaces any table.
  void parse(std::string_view text);
  // Loads /proc/kallsyms once; later calls do nothing.
  void load_once();
  // The symbol containing `address` (the nearest one at or below it), or the
  // address in hex like bpftrace when nothing matches.
  std::string resolve(uint64_t address) const;
  // The same with the offset into the symbol: "vfs_read+12" (decimal, as
  // bpftrace shows stack frames).
  std::string resolve_with_offset(uint64_t address) const;

 private:
  struct Symbol {
    uint64_t address;
    std::string name;
  };
  std::vector<Symbol> symbols_;  // sorted by address
  bool loaded_ = false;
};

// The process-wide table, loaded on first use.
std::string resolve_kernel_symbol(uint64_t address);
std::string resolve_kernel_symbol_with_offset(uint64_t address);

}  // namespace btc::rt

#endif
