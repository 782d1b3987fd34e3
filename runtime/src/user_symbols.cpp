#include "user_symbols.h"

#include <fcntl.h>
#include <fnmatch.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>

#include "demangle.h"
#include "printable.h"
#include "text_file.h"

namespace btc::rt {

std::vector<Mapping> parse_proc_maps(std::string_view text) {
  std::vector<Mapping> mappings;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string line(text.substr(pos, nl - pos));
    pos = nl + 1;
    // "start-end perms offset dev inode path"
    char perms[8] = {};
    unsigned long long start, end, offset;
    int path_at = 0;
    if (sscanf(line.c_str(), "%llx-%llx %7s %llx %*s %*s %n", &start, &end, perms, &offset, &path_at) < 4) continue;
    if (path_at <= 0 || static_cast<size_t>(path_at) >= line.size() || line[path_at] != '/') continue;
    mappings.push_back({start, end, offset, line.substr(path_at), perms[2] == 'x'});
  }
  return mappings;
}

bool ElfFunctions::load(const std::string &path) {
  if (elf_version(EV_CURRENT) == EV_NONE) return false;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  Elf *elf = elf_begin(fd, ELF_C_READ, nullptr);
  bool ok = elf && elf_kind(elf) == ELF_K_ELF;
  size_t nphdr = 0;
  if (ok && elf_getphdrnum(elf, &nphdr) == 0) {
    for (size_t i = 0; i < nphdr; i++) {
      GElf_Phdr phdr;
      if (gelf_getphdr(elf, static_cast<int>(i), &phdr) && phdr.p_type == PT_LOAD)
        segments_.push_back({phdr.p_offset, phdr.p_vaddr, phdr.p_filesz});
    }
  }
  // Functions (for attaching) from .symtab when the binary has one, .dynsym otherwise; names of
  // addresses (symbolize) from both tables, as bpftrace's symbolizer reads them.
  for (int want : {SHT_SYMTAB, SHT_DYNSYM}) {
    SymbolTable &names = want == SHT_SYMTAB ? symtab_ : dynsym_;
    bool collect_functions = functions_.empty();  // .dynsym's only when .symtab has none
    for (Elf_Scn *scn = ok ? elf_nextscn(elf, nullptr) : nullptr; scn; scn = elf_nextscn(elf, scn)) {
      GElf_Shdr shdr;
      Elf_Data *data;
      if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != static_cast<GElf_Word>(want) || shdr.sh_entsize == 0 ||
          !(data = elf_getdata(scn, nullptr)))
        continue;
      for (size_t i = 0; i < shdr.sh_size / shdr.sh_entsize; i++) {
        GElf_Sym sym;
        if (!gelf_getsym(data, static_cast<int>(i), &sym)) continue;
        int type = GELF_ST_TYPE(sym.st_info);
        const char *name = elf_strptr(elf, shdr.sh_link, sym.st_name);
        names.add(sym.st_value, sym.st_size, type, sym.st_shndx != SHN_UNDEF, name ? name : "");
        if (sym.st_shndx == SHN_UNDEF || sym.st_value == 0 || (type != STT_FUNC && type != STT_GNU_IFUNC)) continue;
        if (collect_functions && name && *name) functions_.push_back({sym.st_value, sym.st_size, name});
      }
    }
  }
  symtab_.finish();
  dynsym_.finish();
  if (elf) elf_end(elf);
  close(fd);
  std::sort(functions_.begin(), functions_.end(),
            [](const Function &a, const Function &b) { return a.address < b.address; });
  return ok;
}

bool ElfFunctions::vaddr_of_offset(uint64_t offset, uint64_t &vaddr) const {
  for (const Segment &s : segments_) {
    if (offset >= s.offset && offset < s.offset + s.size) {
      vaddr = offset - s.offset + s.vaddr;
      return true;
    }
  }
  return false;
}

bool ElfFunctions::offset_of_vaddr(uint64_t vaddr, uint64_t &offset) const {
  for (const Segment &s : segments_) {
    if (vaddr >= s.vaddr && vaddr < s.vaddr + s.size) {
      offset = vaddr - s.vaddr + s.offset;
      return true;
    }
  }
  return false;
}

uint64_t ElfFunctions::function_size(const std::string &name) const {
  for (const Function &f : functions_)
    if (f.name == name) return f.size;
  return 0;
}

bool ElfFunctions::function_address(const std::string &name, uint64_t &vaddr) const {
  for (const Function &f : functions_) {
    if (f.name != name) continue;
    vaddr = f.address;
    return true;
  }
  return false;
}

std::vector<std::pair<std::string, uint64_t>> ElfFunctions::functions_matching(const std::string &glob) const {
  std::vector<std::pair<std::string, uint64_t>> out;
  for (const Function &f : functions_)
    if (fnmatch(glob.c_str(), f.name.c_str(), 0) == 0) out.emplace_back(f.name, f.address);
  std::sort(out.begin(), out.end());
  auto same_name = [](const auto &a, const auto &b) { return a.first == b.first; };
  out.erase(std::unique(out.begin(), out.end(), same_name), out.end());
  return out;
}

// .symtab first, then .dynsym (see symbol_table.h for the choice in each).
std::string ElfFunctions::symbolize(uint64_t vaddr, bool with_offset) const {
  const TableSymbol *sym = symtab_.find(vaddr);
  if (!sym) sym = dynsym_.find(vaddr);
  if (!sym) return "";
  if (!with_offset) return demangled(sym->name);
  return demangled(sym->name) + "+" + std::to_string(vaddr - sym->address);
}

static SourceLocator g_source_locator = nullptr;

void set_source_locator(SourceLocator locator) { g_source_locator = locator; }

// The frames of `symbol` (function+offset) at vaddr of the binary at `path`, one per line,
// with what the source locator knows: first the functions inlined there, innermost first, then
// the function itself. bpftrace mode: "[inlined] NAME@DIR/FILE:LINE" ... "symbol@DIR/FILE:LINE";
// perf mode (with_module): "NAME (inlined)" ... "symbol (path)".
std::string with_source_frames(const std::string &symbol, const std::string &path, uint64_t vaddr, bool with_module) {
  std::string module = with_module ? " (" + path + ")" : "";
  char text[8192];
  if (!g_source_locator || g_source_locator(path.c_str(), vaddr, text, sizeof(text)) != 0) return symbol + module;
  std::string frames;
  std::string_view rest(text);
  for (size_t nl; (nl = rest.find('\n')) != std::string_view::npos; rest.remove_prefix(nl + 1)) {
    std::string_view line = rest.substr(0, nl);
    size_t tab = line.find('\t');
    std::string name(line.substr(0, tab));
    std::string where(tab == std::string_view::npos ? "" : line.substr(tab + 1));
    if (with_module)
      frames += name + " (inlined)\n";
    else
      frames += "[inlined] " + name + (where.empty() ? "" : "@" + where) + "\n";
  }
  if (with_module) return frames + symbol + module;  // perf mode leaves file:line out
  return frames + symbol + (rest.empty() ? "" : "@" + std::string(rest));
}

static const btc_user_symbol_cache *g_user_symbol_cache = nullptr;

void set_user_symbol_cache(const btc_user_symbol_cache *cache) { g_user_symbol_cache = cache; }

const std::vector<Mapping> &UserSymbols::mappings(uint32_t pid) {
  auto it = maps_.find(pid);
  if (it != maps_.end()) return it->second;
  return maps_[pid] = parse_proc_maps(read_text_file("/proc/" + std::to_string(pid) + "/maps"));
}

const ElfFunctions *UserSymbols::functions(const std::string &path) {
  auto it = files_.find(path);
  if (it != files_.end()) return it->second.get();
  auto image = std::make_unique<ElfFunctions>();
  if (!image->load(path)) image.reset();
  return (files_[path] = std::move(image)).get();
}

std::string UserSymbols::resolve(uint64_t owner, uint64_t address, bool with_module, bool with_offset,
                                 bool with_source) {
  if (g_user_symbol_cache)
    return g_user_symbol_cache->resolve(*this, owner, address, with_module, with_offset, with_source);
  uint32_t pid = static_cast<uint32_t>(owner);
  for (const Mapping &m : mappings(pid)) {
    if (address < m.start || address >= m.end) continue;
    const ElfFunctions *elf = functions(m.path);
    uint64_t vaddr;
    if (!elf || !elf->vaddr_of_offset(address - m.start + m.file_offset, vaddr)) break;
    std::string name = elf->symbolize(vaddr, with_offset);
    if (name.empty()) break;
    if (with_source) return with_source_frames(name, m.path, vaddr, with_module);
    return with_module ? name + " (" + m.path + ")" : name;
  }
  return format_address(address) + (with_module ? " ([unknown])" : "");
}

}  // namespace btc::rt
