// The USDT probes of an ELF file: its .note.stapsdt notes (SystemTap's format, which sys/sdt.h
// writes). One reader for both sides: the compiler resolves usdt:BIN:... at build time with it,
// and the runtime matches usdt:*:provider:name globs over the files of the -p process.
// (Locations, semaphores and argument specs are read again by libbpf when it attaches.)
#ifndef BTC_RT_USDT_NOTES_H
#define BTC_RT_USDT_NOTES_H

#include <gelf.h>

#include <optional>
#include <string>
#include <vector>

namespace btc::rt {

struct UsdtNote {
  std::string provider, name;
};

// The notes of `path` in file order, one per probe location (a probe written twice in the source
// has two); empty when it has none; nullopt when `path` cannot be read as ELF.
std::optional<std::vector<UsdtNote>> read_usdt_notes(const std::string &path);

// The first section of elf of type `type` (SHT_*) named `name` (any name when NULL), or NULL.
// Shared with the compiler's ELF symbol reader (compiler/elf).
Elf_Scn *find_elf_section(Elf *elf, GElf_Word type, const char *name);

}  // namespace btc::rt

#endif
