#include "elf_symbol.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace btc::rt {

static bool section_defines(Elf *elf, Elf_Scn *scn, const GElf_Shdr &shdr, const std::string &name) {
  Elf_Data *data = elf_getdata(scn, nullptr);
  if (!data || shdr.sh_entsize == 0) return false;
  size_t count = shdr.sh_size / shdr.sh_entsize;
  for (size_t i = 0; i < count; i++) {
    GElf_Sym sym;
    if (!gelf_getsym(data, static_cast<int>(i), &sym) || sym.st_shndx == SHN_UNDEF) continue;
    const char *sym_name = elf_strptr(elf, shdr.sh_link, sym.st_name);
    if (sym_name && name == sym_name) return true;
  }
  return false;
}

SymbolLookup find_elf_symbol(const std::string &path, const std::string &name, std::string *error) {
  if (elf_version(EV_CURRENT) == EV_NONE) {
    if (error) *error = "libelf is unusable";
    return SymbolLookup::kUnreadable;
  }
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (error) *error = "cannot open " + path + ": " + strerror(errno);
    return SymbolLookup::kUnreadable;
  }
  Elf *elf = elf_begin(fd, ELF_C_READ, nullptr);
  if (!elf || elf_kind(elf) != ELF_K_ELF) {
    if (error) *error = path + " is not an ELF file";
    if (elf) elf_end(elf);
    close(fd);
    return SymbolLookup::kUnreadable;
  }
  bool found = false;
  for (Elf_Scn *scn = elf_nextscn(elf, nullptr); scn && !found; scn = elf_nextscn(elf, scn)) {
    GElf_Shdr shdr;
    if (!gelf_getshdr(scn, &shdr)) continue;
    if (shdr.sh_type == SHT_SYMTAB || shdr.sh_type == SHT_DYNSYM) found = section_defines(elf, scn, shdr, name);
  }
  elf_end(elf);
  close(fd);
  return found ? SymbolLookup::kFound : SymbolLookup::kNotFound;
}

}  // namespace btc::rt
