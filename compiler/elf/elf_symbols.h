// Function symbols and USDT notes of user-space ELF binaries, read at build time for uprobe
// wildcards, `btc -l uprobe:BIN:*` and usdt validation.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "usdt_notes.h"  // runtime/src: one reader for the compiler and the runtime

namespace btc {

// Names of the defined function symbols (.symtab, else .dynsym) of `path`, sorted, unique.
// nullopt with *err when the file cannot be read as ELF.
std::optional<std::vector<std::string>> elf_function_symbols(const std::string &path, std::string *err);

// A data or function symbol of a binary, for uaddr("sym"). pie: the file is position-independent
// (ET_DYN), so `address` is relative to where it is loaded.
struct ElfSymbol {
  uint64_t address = 0, size = 0;
  bool pie = false;
  std::string name;
};

// The defined object or function symbol `name` of `path` (.symtab, else .dynsym); nullopt with
// *err when the file cannot be read or has no such symbol.
std::optional<ElfSymbol> elf_symbol(const std::string &path, const std::string &name, std::string *err);

// The function or object symbol of `path` whose [address, address + size) holds `address` (a
// virtual address of the file, as uprobe:BIN:0xADDR writes it); nullopt when none does.
std::optional<ElfSymbol> elf_symbol_at(const std::string &path, uint64_t address, std::string *err);

// A USDT probe of a binary (provider, name), as the runtime's reader finds it (usdt_notes.h).
using UsdtNote = rt::UsdtNote;

// The USDT probes (.note.stapsdt) of `path`, one per location; empty when it has none.
std::optional<std::vector<UsdtNote>> elf_usdt_notes(const std::string &path, std::string *err);

// Resolves a uprobe/usdt target as the runtime will: a path, else a name searched in PATH and the
// usual library directories (libc -> /lib/x86_64-linux-gnu/libc.so.6). "" if not found.
std::string resolve_binary_path(const std::string &name);

}  // namespace btc
