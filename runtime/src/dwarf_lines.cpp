#include "dwarf_lines.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>

namespace btc::rt {

namespace {

// Path::push as blazesym joins directories: an absolute `tail` replaces `head`.
std::string join_path(std::string_view head, std::string_view tail) {
  if (head.empty() || (!tail.empty() && tail[0] == '/')) return std::string(tail);
  std::string path(head);
  if (path.back() != '/') path += '/';
  return path.append(tail);
}

}  // namespace

void DwarfLines::parse(const DwarfSections &s) {
  // Every compile unit names its line table (DW_AT_stmt_list), its directory (DW_AT_comp_dir)
  // and the base of its range lists (DW_AT_low_pc) in its first DIE.
  std::map<uint64_t, std::pair<uint32_t, uint32_t>> tables;  // stmt_list -> (first file, count)
  Cursor c{s.info};
  while (c.pos < s.info.size()) {
    UnitHeader unit;
    if (!read_unit_header(c, unit)) break;
    std::map<uint64_t, Abbrev> abbrevs = read_abbrevs(s.abbrev, unit.abbrev_offset);
    auto it = abbrevs.find(c.uleb());
    bool has_lines = false;
    uint64_t stmt_list = 0, low_pc = 0;
    std::string_view comp_dir;
    for (size_t i = 0; it != abbrevs.end() && i < it->second.attrs.size() && !c.bad; i++) {
      const AttrSpec &a = it->second.attrs[i];
      Value v = read_form(c, a.form, a.implicit, unit.version, unit.addr_size, s);
      if (a.name == AT_stmt_list) {
        has_lines = true;
        stmt_list = v.number;
      }
      if (a.name == AT_comp_dir) comp_dir = v.text;
      if (a.name == AT_low_pc && a.form == FORM_addr) low_pc = v.number;
    }
    if (has_lines && !c.bad && !tables.count(stmt_list)) {
      uint32_t first = static_cast<uint32_t>(files_.size());
      if (parse_program(s, stmt_list, std::string(comp_dir)))
        tables[stmt_list] = {first, static_cast<uint32_t>(files_.size()) - first};
    }
    auto table = tables.find(stmt_list);
    if (has_lines && table != tables.end())
      inlines_.add_unit(s, unit, low_pc, table->second.first, table->second.second);
    c = Cursor{s.info, unit.end};
  }
  std::sort(sequences_.begin(), sequences_.end(),
            [](const Sequence &a, const Sequence &b) { return a.start < b.start; });
}

bool DwarfLines::parse_program(const DwarfSections &s, uint64_t offset, const std::string &comp_dir) {
  if (offset >= s.line.size()) return false;
  Cursor c{s.line, static_cast<size_t>(offset)};
  size_t end = c.unit_end();
  unsigned version = static_cast<unsigned>(c.fixed(2));
  if (version < 2 || version > 5) return false;
  unsigned addr_size = 8;
  if (version >= 5) {
    addr_size = c.u8();
    c.u8();  // segment selector size
  }
  uint64_t header_length = c.offset();
  size_t program = c.pos + header_length;
  unsigned min_inst = c.u8();
  if (version >= 4) c.u8();  // maximum operations per instruction (VLIW only)
  c.u8();                    // default_is_stmt: every row counts, statement or not
  int line_base = static_cast<int8_t>(c.u8());
  unsigned line_range = c.u8(), opcode_base = c.u8();
  std::vector<uint8_t> opcode_lengths;
  for (unsigned i = 1; i < opcode_base; i++) opcode_lengths.push_back(c.u8());
  if (c.bad || line_range == 0) return false;

  // Directories and files. Directory 0 is the unit's own: its files are named without one.
  std::vector<std::string_view> dirs;
  struct FileEntry {
    std::string_view name;
    uint64_t dir;
  };
  std::vector<FileEntry> files;
  if (version >= 5) {
    for (int table = 0; table < 2 && !c.bad; table++) {
      std::vector<std::pair<uint64_t, uint64_t>> format;  // (content type, form)
      for (unsigned n = c.u8(); n > 0 && !c.bad; n--) {
        uint64_t type = c.uleb(), form = c.uleb();
        format.emplace_back(type, form);
      }
      for (uint64_t count = c.uleb(); count > 0 && !c.bad; count--) {
        FileEntry entry{{}, 0};
        for (auto [type, form] : format) {
          Value v = read_form(c, form, 0, version, addr_size, s);
          if (type == LNCT_path) entry.name = v.text;
          if (type == LNCT_directory_index) entry.dir = v.number;
        }
        if (table == 0)
          dirs.push_back(entry.name);
        else
          files.push_back(entry);
      }
    }
  } else {
    dirs.push_back(comp_dir);  // index 0; the listed ones count from 1
    for (std::string_view d = c.cstr(); !d.empty() && !c.bad; d = c.cstr()) dirs.push_back(d);
    files.push_back({{}, 0});  // file numbers count from 1
    for (std::string_view f = c.cstr(); !f.empty() && !c.bad; f = c.cstr()) {
      uint64_t dir = c.uleb();
      c.uleb();  // modification time
      c.uleb();  // length
      files.push_back({f, dir});
    }
  }
  if (c.bad || program > end) return false;
  uint32_t first_file = static_cast<uint32_t>(files_.size());
  for (const FileEntry &f : files) {
    std::string dir;
    if (f.dir != 0 && f.dir < dirs.size()) dir = join_path(comp_dir, dirs[f.dir]);
    files_.push_back(dir.empty() ? std::string(f.name) : dir + "/" + std::string(f.name));
  }

  // The line program: a state machine whose rows are (address, file, line).
  c.pos = program;
  uint64_t address = 0, file = 1;
  int64_t line = 1;
  Sequence seq{0, 0, {}};
  auto emit = [&]() {
    uint32_t index = file < files.size() ? first_file + static_cast<uint32_t>(file) : UINT32_MAX;
    Row row{address, index, static_cast<uint32_t>(line)};
    if (!seq.rows.empty() && seq.rows.back().address == address)
      seq.rows.back() = row;  // the last row wins
    else
      seq.rows.push_back(row);
  };
  while (c.pos < end && !c.bad) {
    unsigned op = c.u8();
    if (op >= opcode_base) {
      unsigned adjusted = op - opcode_base;
      address += static_cast<uint64_t>(adjusted / line_range) * min_inst;
      line += line_base + static_cast<int>(adjusted % line_range);
      emit();
      continue;
    }
    switch (op) {
      case 0: {  // extended
        uint64_t len = c.uleb();
        size_t next = c.pos + len;
        if (len == 0 || !c.has(len)) return true;
        unsigned sub = c.u8();
        if (sub == 1) {  // end_sequence
          if (!seq.rows.empty()) {
            seq.start = seq.rows.front().address;
            seq.end = address;
            sequences_.push_back(std::move(seq));
          }
          seq = Sequence{0, 0, {}};
          address = 0, file = 1, line = 1;
        } else if (sub == 2) {  // set_address
          address = c.fixed(len - 1);
        }
        c.pos = next;
        break;
      }
      case 1:
        emit();
        break;  // copy
      case 2:
        address += c.uleb() * min_inst;
        break;  // advance_pc
      case 3:
        line += c.sleb();
        break;  // advance_line
      case 4:
        file = c.uleb();
        break;  // set_file
      case 8:
        address += ((255 - opcode_base) / line_range) * min_inst;
        break;  // const_add_pc
      case 9:
        address += c.fixed(2);
        break;  // fixed_advance_pc
      default:  // column, stmt, basic block, prologue/epilogue, isa and unknown ones: operands only
        for (unsigned i = 0; i < opcode_lengths[op - 1]; i++) c.uleb();
    }
  }
  return true;
}

std::string DwarfLines::file_line(uint32_t file, uint32_t line) const {
  if (file >= files_.size()) return "";
  return files_[file] + ":" + std::to_string(line);
}

std::string DwarfLines::locate(uint64_t vaddr) const {
  // The last sequence starting at or before vaddr that still covers it.
  auto it = std::upper_bound(sequences_.begin(), sequences_.end(), vaddr,
                             [](uint64_t a, const Sequence &s) { return a < s.start; });
  while (it != sequences_.begin()) {
    --it;
    if (vaddr >= it->end) continue;
    auto row = std::upper_bound(it->rows.begin(), it->rows.end(), vaddr,
                                [](uint64_t a, const Row &r) { return a < r.address; });
    if (row == it->rows.begin()) return "";
    --row;
    return file_line(row->file, row->line);
  }
  return "";
}

std::vector<DwarfLines::Frame> DwarfLines::frames(uint64_t vaddr) const {
  std::vector<DwarfInlines::Call> calls = inlines_.at(vaddr);  // outermost first
  std::vector<Frame> frames;
  std::string where = locate(vaddr);
  for (size_t i = calls.size(); i-- > 0;) {
    frames.push_back({calls[i].name, where});
    where = file_line(calls[i].call_file, calls[i].call_line);
  }
  frames.push_back({"", where});
  return frames;
}

// The contents of section `name` (decompressed when SHF_COMPRESSED); empty when absent.
static std::string_view section(Elf *elf, size_t shstrndx, const char *name) {
  for (Elf_Scn *scn = elf_nextscn(elf, nullptr); scn; scn = elf_nextscn(elf, scn)) {
    GElf_Shdr shdr;
    const char *sname;
    if (!gelf_getshdr(scn, &shdr) || !(sname = elf_strptr(elf, shstrndx, shdr.sh_name)) || strcmp(sname, name) != 0)
      continue;
    if (shdr.sh_type == SHT_NOBITS) return {};
    if ((shdr.sh_flags & SHF_COMPRESSED) && elf_compress(scn, 0, 0) < 0) return {};
    Elf_Data *data = elf_getdata(scn, nullptr);
    if (!data || !data->d_buf) return {};
    return {static_cast<const char *>(data->d_buf), data->d_size};
  }
  return {};
}

bool DwarfLines::load(const std::string &path) {
  if (elf_version(EV_CURRENT) == EV_NONE) return false;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  Elf *elf = elf_begin(fd, ELF_C_READ, nullptr);
  size_t shstrndx;
  if (elf && elf_kind(elf) == ELF_K_ELF && elf_getshdrstrndx(elf, &shstrndx) == 0) {
    DwarfSections s{section(elf, shstrndx, ".debug_info"),     section(elf, shstrndx, ".debug_abbrev"),
                    section(elf, shstrndx, ".debug_line"),     section(elf, shstrndx, ".debug_str"),
                    section(elf, shstrndx, ".debug_line_str"), section(elf, shstrndx, ".debug_ranges"),
                    section(elf, shstrndx, ".debug_rnglists")};
    if (!s.line.empty()) parse(s);  // the views stay valid until elf_end
  }
  if (elf) elf_end(elf);
  close(fd);
  return !sequences_.empty();
}

}  // namespace btc::rt

// One cache of parsed files for the tool's lifetime. The text is one line "NAME\tWHERE" per
// inlined call, innermost first, then the WHERE of the function itself (see DwarfLines::frames).
extern "C" int btc_dwarf_source_line(const char *path, btc_u64 vaddr, char *buf, size_t size) {
  static std::map<std::string, std::unique_ptr<btc::rt::DwarfLines>> files;
  auto it = files.find(path);
  if (it == files.end()) {
    auto lines = std::make_unique<btc::rt::DwarfLines>();
    if (!lines->load(path)) lines.reset();
    it = files.emplace(path, std::move(lines)).first;
  }
  if (!it->second || size == 0) return -1;
  std::vector<btc::rt::DwarfLines::Frame> frames = it->second->frames(vaddr);
  if (frames.size() == 1 && frames[0].where.empty()) return -1;
  std::string text;
  for (const auto &f : frames) text += f.name.empty() ? f.where : f.name + "\t" + f.where + "\n";
  snprintf(buf, size, "%s", text.c_str());
  return 0;
}
