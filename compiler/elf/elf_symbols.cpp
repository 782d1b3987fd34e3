#include "elf/elf_symbols.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>

#include "usdt_notes.h"  // find_elf_section, shared with the runtime

namespace fs = std::filesystem;

namespace btc {
namespace {

// Opens `path` for reading with libelf; closes everything on destruction.
class ElfFile {
 public:
  explicit ElfFile(const std::string &path) {
    elf_version(EV_CURRENT);
    fd_ = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ >= 0) elf_ = elf_begin(fd_, ELF_C_READ, nullptr);
  }
  ~ElfFile() {
    if (elf_) elf_end(elf_);
    if (fd_ >= 0) close(fd_);
  }
  Elf *get() const { return elf_ && elf_kind(elf_) == ELF_K_ELF ? elf_ : nullptr; }

 private:
  int fd_ = -1;
  Elf *elf_ = nullptr;
};

}  // namespace

std::optional<std::vector<std::string>> elf_function_symbols(const std::string &path, std::string *err) {
  ElfFile f(path);
  if (!f.get()) {
    *err = "cannot read " + path + " as an ELF file";
    return std::nullopt;
  }
  std::vector<std::string> names;
  Elf_Scn *scn = rt::find_elf_section(f.get(), SHT_SYMTAB, nullptr);
  if (!scn) scn = rt::find_elf_section(f.get(), SHT_DYNSYM, nullptr);
  if (scn) {
    GElf_Shdr sh;
    gelf_getshdr(scn, &sh);
    Elf_Data *data = elf_getdata(scn, nullptr);
    size_t n = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
    for (size_t i = 0; data && i < n; i++) {
      GElf_Sym sym;
      if (!gelf_getsym(data, static_cast<int>(i), &sym)) continue;
      if (GELF_ST_TYPE(sym.st_info) != STT_FUNC || sym.st_shndx == SHN_UNDEF || sym.st_value == 0) continue;
      const char *name = elf_strptr(f.get(), sh.sh_link, sym.st_name);
      if (name && *name) names.emplace_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

namespace {

// The first defined function or object symbol of the symbol tables (.symtab, then .dynsym) that
// `match` accepts (given the symbol and its name); `missing` is the error when none does.
std::optional<ElfSymbol> find_symbol(const std::string &path,
                                     const std::function<bool(const GElf_Sym &, const char *)> &match,
                                     const std::string &missing, std::string *err) {
  ElfFile f(path);
  GElf_Ehdr eh;
  if (!f.get() || !gelf_getehdr(f.get(), &eh)) {
    *err = "cannot read " + path + " as an ELF file";
    return std::nullopt;
  }
  for (Elf64_Word type : {SHT_SYMTAB, SHT_DYNSYM}) {
    Elf_Scn *scn = rt::find_elf_section(f.get(), type, nullptr);
    GElf_Shdr sh;
    if (!scn || !gelf_getshdr(scn, &sh)) continue;
    Elf_Data *data = elf_getdata(scn, nullptr);
    size_t n = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
    for (size_t i = 0; data && i < n; i++) {
      GElf_Sym sym;
      if (!gelf_getsym(data, static_cast<int>(i), &sym) || sym.st_shndx == SHN_UNDEF) continue;
      const char *name = elf_strptr(f.get(), sh.sh_link, sym.st_name);
      if (match(sym, name)) return ElfSymbol{sym.st_value, sym.st_size, eh.e_type == ET_DYN, name ? name : ""};
    }
  }
  *err = missing;
  return std::nullopt;
}

}  // namespace

std::optional<ElfSymbol> elf_symbol(const std::string &path, const std::string &name, std::string *err) {
  auto named = [&](const GElf_Sym &sym, const char *sname) {
    int kind = GELF_ST_TYPE(sym.st_info);
    return (kind == STT_OBJECT || kind == STT_FUNC) && sname && name == sname;
  };
  return find_symbol(path, named, "no symbol '" + name + "' in " + path, err);
}

std::optional<ElfSymbol> elf_symbol_at(const std::string &path, uint64_t address, std::string *err) {
  auto holds = [&](const GElf_Sym &sym, const char *) {
    int kind = GELF_ST_TYPE(sym.st_info);
    return (kind == STT_OBJECT || kind == STT_FUNC || kind == STT_GNU_IFUNC) && address >= sym.st_value &&
           address - sym.st_value < sym.st_size;
  };
  return find_symbol(path, holds, "no symbol of " + path + " holds that address", err);
}

std::optional<std::vector<UsdtNote>> elf_usdt_notes(const std::string &path, std::string *err) {
  auto notes = rt::read_usdt_notes(path);
  if (!notes) *err = "cannot read " + path + " as an ELF file";
  return notes;
}

static bool is_elf(const fs::path &p) {
  int fd = open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char magic[4] = {};
  bool ok = read(fd, magic, 4) == 4 && memcmp(magic, "\177ELF", 4) == 0;
  close(fd);
  return ok;
}

std::string resolve_binary_path(const std::string &name) {
  if (name.empty()) return "";
  if (name.find('/') != std::string::npos) return fs::exists(name) ? name : "";
  if (const char *path = getenv("PATH")) {
    std::string p = path;
    size_t start = 0;
    while (start <= p.size()) {
      size_t end = p.find(':', start);
      if (end == std::string::npos) end = p.size();
      fs::path cand = fs::path(p.substr(start, end - start)) / name;
      if (access(cand.c_str(), X_OK) == 0) return cand.string();
      start = end + 1;
    }
  }
  for (const char *dir : {"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib",
                          "/usr/lib", "/usr/local/lib"}) {
    std::error_code ec;
    for (const std::string &cand : {name, name + ".so", name + ".so.6", name + ".so.1", "lib" + name + ".so",
                                    "lib" + name + ".so.6", "lib" + name + ".so.1"}) {
      fs::path p = fs::path(dir) / cand;
      if (fs::exists(p, ec) && is_elf(p)) return p.string();  // libc.so is a linker script
    }
  }
  return "";
}

}  // namespace btc
