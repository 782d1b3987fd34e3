// Looking up a function symbol in a user-space binary (for --check of
// uprobes, without attaching anything).
#ifndef BTC_RT_ELF_SYMBOL_H
#define BTC_RT_ELF_SYMBOL_H

#include <string>

namespace btc::rt {

enum class SymbolLookup { kFound, kNotFound, kUnreadable };

// Whether `path` defines `name` in .symtab or .dynsym. kUnreadable (with a
// message in *error) when the file cannot be read as ELF.
SymbolLookup find_elf_symbol(const std::string &path, const std::string &name, std::string *error);

}  // namespace btc::rt

#endif
