// Reading .note.stapsdt (see usdt_notes.h).
#include "usdt_notes.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <cstring>

namespace btc::rt {

static constexpr GElf_Word kNtStapsdt = 3;

Elf_Scn *find_elf_section(Elf *elf, GElf_Word type, const char *name) {
  size_t shstrndx = 0;
  if (elf_getshdrstrndx(elf, &shstrndx) != 0) return nullptr;
  for (Elf_Scn *scn = elf_nextscn(elf, nullptr); scn; scn = elf_nextscn(elf, scn)) {
    GElf_Shdr sh;
    if (!gelf_getshdr(scn, &sh) || sh.sh_type != type) continue;
    const char *n = elf_strptr(elf, shstrndx, sh.sh_name);
    if (!name || (n && strcmp(n, name) == 0)) return scn;
  }
  return nullptr;
}

// A note's description: three addresses (the probe, .stapsdt.base, the semaphore), then
// "provider\0name\0argument specs\0".
static void read_notes(Elf *elf, Elf_Scn *scn, std::vector<UsdtNote> &out) {
  Elf_Data *data = elf_getdata(scn, nullptr);
  size_t addresses = gelf_getclass(elf) == ELFCLASS32 ? 3 * 4 : 3 * 8;
  size_t off = 0, name_off = 0, desc_off = 0;
  GElf_Nhdr nh;
  while (data && (off = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
    if (nh.n_type != kNtStapsdt || nh.n_descsz <= addresses) continue;
    const char *desc = static_cast<const char *>(data->d_buf) + desc_off;
    const char *end = desc + nh.n_descsz;
    const char *provider = desc + addresses;
    const char *name = provider + strnlen(provider, end - provider) + 1;
    if (name >= end) continue;
    out.push_back({provider, std::string(name, strnlen(name, end - name))});
  }
}

std::optional<std::vector<UsdtNote>> read_usdt_notes(const std::string &path) {
  if (elf_version(EV_CURRENT) == EV_NONE) return std::nullopt;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  Elf *elf = elf_begin(fd, ELF_C_READ, nullptr);
  std::optional<std::vector<UsdtNote>> notes;
  if (elf && elf_kind(elf) == ELF_K_ELF) {
    notes.emplace();
    if (Elf_Scn *scn = find_elf_section(elf, SHT_NOTE, ".note.stapsdt")) read_notes(elf, scn, *notes);
  }
  if (elf) elf_end(elf);
  close(fd);
  return notes;
}

}  // namespace btc::rt
