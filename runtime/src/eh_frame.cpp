#include "eh_frame.h"

#include <elf.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

#include "byte_cursor.h"

namespace btc::rt {

namespace {

// DWARF register numbers of x86-64.
const uint64_t kRegRbp = 6, kRegRsp = 7, kRegRa = 16;

// The value of DW_EH_PE format `format` (the encoding's low four bits).
uint64_t read_value(Cursor &r, uint8_t format) {
  switch (format) {
    case 0x00:  // absptr
    case 0x04:  // udata8
    case 0x0c:  // sdata8
      return r.get<uint64_t>();
    case 0x01:  // uleb128
      return r.uleb();
    case 0x02:  // udata2
      return r.get<uint16_t>();
    case 0x03:  // udata4
      return r.get<uint32_t>();
    case 0x09:  // sleb128
      return static_cast<uint64_t>(r.sleb());
    case 0x0a:  // sdata2
      return static_cast<uint64_t>(static_cast<int64_t>(r.get<int16_t>()));
    case 0x0b:  // sdata4
      return static_cast<uint64_t>(static_cast<int64_t>(r.get<int32_t>()));
  }
  r.bad = true;
  return 0;
}

// A pointer in DW_EH_PE encoding `enc`, pc-relative to the section's virtual address.
uint64_t read_encoded(Cursor &r, uint8_t enc, uint64_t section_vaddr) {
  if (enc == 0xff) return 0;  // DW_EH_PE_omit
  uint64_t here = section_vaddr + r.pos;
  uint64_t v = read_value(r, enc & 0x0f);
  if ((enc & 0x70) == 0x10) v += here;  // DW_EH_PE_pcrel
  return v;
}

// The (ip & 15) threshold of the expression linkers give PLT stubs, rsp + 8 + ((rip & 15) >= N) << 3:
//   DW_OP_breg7 8; DW_OP_breg16 0; DW_OP_lit15; DW_OP_and; DW_OP_litN; DW_OP_ge; DW_OP_lit3; DW_OP_shl;
//   DW_OP_plus
// 0 for any other expression.
int plt_expression_threshold(const uint8_t *expr, uint64_t length) {
  static const uint8_t kBefore[] = {0x77, 0x08, 0x80, 0x00, 0x3f, 0x1a};
  static const uint8_t kAfter[] = {0x2a, 0x33, 0x24, 0x22};
  if (length != sizeof(kBefore) + 1 + sizeof(kAfter) || memcmp(expr, kBefore, sizeof(kBefore)) != 0 ||
      memcmp(expr + sizeof(kBefore) + 1, kAfter, sizeof(kAfter)) != 0)
    return 0;
  uint8_t lit = expr[sizeof(kBefore)];
  return lit > 0x30 && lit <= 0x3f ? lit - 0x30 : 0;  // DW_OP_lit1..15
}

struct Cie {
  uint64_t code_align = 1;
  int64_t data_align = -8;
  uint64_t ra_reg = kRegRa;
  uint8_t fde_encoding = 0;
  bool has_augmentation_data = false;
  const uint8_t *program = nullptr;
  size_t program_size = 0;
};

// The rules of one location while the CFA program runs.
struct FrameState {
  uint64_t cfa_reg = kRegRsp;
  int64_t cfa_offset = 8;
  bool cfa_known = true;  // false after DW_CFA_def_cfa_expression
  int plt_threshold = 0;  // a PLT stub's expression (cfa_known false): its (ip & 15) threshold
  enum { kSame, kAtOffset, kUnknown } rbp = kSame, ra = kAtOffset;
  int64_t rbp_offset = 0, ra_offset = -8;
};

UnwindRow to_row(uint64_t pc, const FrameState &s) {
  UnwindRow row;
  row.pc = pc;
  if (!s.cfa_known && s.plt_threshold && s.ra == FrameState::kAtOffset && s.ra_offset == -8 &&
      s.rbp == FrameState::kSame) {
    row.cfa_reg = kCfaPlt;
    row.cfa_offset = s.plt_threshold;
    return row;
  }
  bool cfa_ok = s.cfa_known && (s.cfa_reg == kRegRsp || s.cfa_reg == kRegRbp) && s.cfa_offset >= INT32_MIN &&
                s.cfa_offset <= INT32_MAX;
  bool ra_ok = s.ra == FrameState::kAtOffset && s.ra_offset == -8;
  if (!cfa_ok || !ra_ok || s.rbp == FrameState::kUnknown) return row;  // kCfaNone: stop here
  row.cfa_reg = s.cfa_reg == kRegRsp ? kCfaRsp : kCfaRbp;
  row.cfa_offset = static_cast<int32_t>(s.cfa_offset);
  if (s.rbp == FrameState::kAtOffset) {
    if (s.rbp_offset < INT16_MIN || s.rbp_offset > INT16_MAX) return UnwindRow{.pc = pc};
    row.rbp_saved = true;
    row.rbp_offset = static_cast<int32_t>(s.rbp_offset);
  }
  return row;
}

// Runs CFA program `prog` from state `s` (the CIE's initial state when it runs the FDE's
// program), appending a row at each advance of the location. `initial` is the state to restore
// registers to (DW_CFA_restore). False when the program is malformed.
bool run_cfa_program(const uint8_t *prog, size_t size, const Cie &cie, uint64_t section_vaddr, uint64_t &loc,
                     FrameState &s, const FrameState &initial, std::vector<UnwindRow> *rows) {
  Cursor r{std::string_view(reinterpret_cast<const char *>(prog), size)};
  std::vector<FrameState> remembered;
  auto set_offset = [&](uint64_t reg, int64_t offset) {
    if (reg == kRegRbp) {
      s.rbp = FrameState::kAtOffset;
      s.rbp_offset = offset;
    } else if (reg == kRegRa || reg == cie.ra_reg) {
      s.ra = FrameState::kAtOffset;
      s.ra_offset = offset;
    }
  };
  auto set_unknown = [&](uint64_t reg) {
    if (reg == kRegRbp) s.rbp = FrameState::kUnknown;
    if (reg == kRegRa || reg == cie.ra_reg) s.ra = FrameState::kUnknown;
  };
  auto restore = [&](uint64_t reg) {
    if (reg == kRegRbp) {
      s.rbp = initial.rbp;
      s.rbp_offset = initial.rbp_offset;
    }
    if (reg == kRegRa || reg == cie.ra_reg) {
      s.ra = initial.ra;
      s.ra_offset = initial.ra_offset;
    }
  };
  auto advance = [&](uint64_t delta) {
    if (rows) rows->push_back(to_row(loc, s));
    loc += delta * cie.code_align;
  };
  while (!r.bad && r.pos < r.data.size()) {
    uint8_t op = r.get<uint8_t>();
    uint8_t low = op & 0x3f;
    switch (op & 0xc0) {
      case 0x40:  // advance_loc
        advance(low);
        continue;
      case 0x80:  // offset
        set_offset(low, static_cast<int64_t>(r.uleb()) * cie.data_align);
        continue;
      case 0xc0:  // restore
        restore(low);
        continue;
    }
    switch (op) {
      case 0x00:  // nop
        break;
      case 0x01: {  // set_loc
        uint64_t to = read_encoded(r, cie.fde_encoding, section_vaddr);
        if (rows) rows->push_back(to_row(loc, s));
        loc = to;
        break;
      }
      case 0x02:  // advance_loc1
        advance(r.get<uint8_t>());
        break;
      case 0x03:  // advance_loc2
        advance(r.get<uint16_t>());
        break;
      case 0x04:  // advance_loc4
        advance(r.get<uint32_t>());
        break;
      case 0x05: {  // offset_extended
        uint64_t reg = r.uleb();
        set_offset(reg, static_cast<int64_t>(r.uleb()) * cie.data_align);
        break;
      }
      case 0x06:  // restore_extended
        restore(r.uleb());
        break;
      case 0x07:  // undefined
        set_unknown(r.uleb());
        break;
      case 0x08: {  // same_value
        uint64_t reg = r.uleb();
        if (reg == kRegRbp)
          s.rbp = FrameState::kSame;
        else
          set_unknown(reg);
        break;
      }
      case 0x09: {  // register: the value lives in another register
        uint64_t reg = r.uleb();
        r.uleb();
        set_unknown(reg);
        break;
      }
      case 0x0a:  // remember_state
        remembered.push_back(s);
        break;
      case 0x0b:  // restore_state (the CFA rule too, as libgcc does)
        if (remembered.empty()) return false;
        s = remembered.back();
        remembered.pop_back();
        break;
      case 0x0c:  // def_cfa
        s.cfa_reg = r.uleb();
        s.cfa_offset = static_cast<int64_t>(r.uleb());
        s.cfa_known = true;
        break;
      case 0x0d:  // def_cfa_register
        s.cfa_reg = r.uleb();
        s.cfa_known = true;
        break;
      case 0x0e:  // def_cfa_offset
        s.cfa_offset = static_cast<int64_t>(r.uleb());
        break;
      case 0x0f: {  // def_cfa_expression
        uint64_t length = r.uleb();
        s.plt_threshold = !r.bad && length <= r.data.size() - r.pos ? plt_expression_threshold(r.here(), length) : 0;
        r.skip(length);
        s.cfa_known = false;
        break;
      }
      case 0x10:    // expression
      case 0x16: {  // val_expression
        uint64_t reg = r.uleb();
        r.skip(r.uleb());
        set_unknown(reg);
        break;
      }
      case 0x11: {  // offset_extended_sf
        uint64_t reg = r.uleb();
        set_offset(reg, r.sleb() * cie.data_align);
        break;
      }
      case 0x12:  // def_cfa_sf
        s.cfa_reg = r.uleb();
        s.cfa_offset = r.sleb() * cie.data_align;
        s.cfa_known = true;
        break;
      case 0x13:  // def_cfa_offset_sf
        s.cfa_offset = r.sleb() * cie.data_align;
        break;
      case 0x14:    // val_offset
      case 0x15: {  // val_offset_sf
        uint64_t reg = r.uleb();
        if (op == 0x14)
          r.uleb();
        else
          r.sleb();
        set_unknown(reg);
        break;
      }
      case 0x2e:  // GNU_args_size
        r.uleb();
        break;
      case 0x2f: {  // GNU_negative_offset_extended
        uint64_t reg = r.uleb();
        set_offset(reg, -static_cast<int64_t>(r.uleb()) * cie.data_align);
        break;
      }
      default:
        return false;
    }
  }
  return !r.bad;
}

bool parse_cie(Cursor &r, size_t end, Cie &cie) {
  uint8_t version = r.get<uint8_t>();
  std::string augmentation;
  for (char c; !r.bad && (c = static_cast<char>(r.get<uint8_t>())) != 0;) augmentation += c;
  if (augmentation.find("eh") != std::string::npos) r.skip(8);
  cie.code_align = r.uleb();
  cie.data_align = r.sleb();
  cie.ra_reg = version == 1 ? r.get<uint8_t>() : r.uleb();
  if (!augmentation.empty() && augmentation[0] == 'z') {
    cie.has_augmentation_data = true;
    uint64_t length = r.uleb();
    size_t data_end = r.pos + length;
    for (size_t i = 1; i < augmentation.size() && !r.bad; i++) {
      char c = augmentation[i];
      if (c == 'R')
        cie.fde_encoding = r.get<uint8_t>();
      else if (c == 'L')
        r.get<uint8_t>();
      else if (c == 'P')
        read_encoded(r, r.get<uint8_t>(), 0);
      else if (c != 'S' && c != 'B' && c != 'G')
        break;
    }
    r.pos = data_end;
  }
  if (r.bad || r.pos > end) return false;
  cie.program = r.here();
  cie.program_size = end - r.pos;
  return true;
}

// Appends the rows of one FDE: its program's rows, then a stop row at its end.
bool parse_fde(Cursor &r, size_t end, const Cie &cie, uint64_t section_vaddr, std::vector<UnwindRow> &rows) {
  uint64_t pc_begin = read_encoded(r, cie.fde_encoding, section_vaddr);
  uint64_t pc_range = read_encoded(r, cie.fde_encoding & 0x0f, section_vaddr);
  if (cie.has_augmentation_data) r.skip(r.uleb());
  if (r.bad || r.pos > end) return false;
  if (pc_begin == 0 || pc_range == 0) return true;  // a discarded function
  FrameState initial;
  uint64_t loc = pc_begin;
  if (!run_cfa_program(cie.program, cie.program_size, cie, section_vaddr, loc, initial, initial, nullptr)) return false;
  loc = pc_begin;
  FrameState s = initial;
  if (!run_cfa_program(r.here(), end - r.pos, cie, section_vaddr, loc, s, initial, &rows)) return false;
  rows.push_back(to_row(loc, s));
  rows.push_back(UnwindRow{.pc = pc_begin + pc_range});
  return true;
}

// Sorts the rows; of rows at the same pc the last one of an FDE wins over the stop row that
// ended the FDE before, then equal neighbours are merged.
void finish_rows(std::vector<UnwindRow> &rows) {
  std::stable_sort(rows.begin(), rows.end(), [](const UnwindRow &a, const UnwindRow &b) { return a.pc < b.pc; });
  std::vector<UnwindRow> out;
  for (const UnwindRow &row : rows) {
    if (!out.empty() && out.back().pc == row.pc) {
      if (row.cfa_reg != kCfaNone || out.back().cfa_reg == kCfaNone) out.back() = row;
      continue;
    }
    out.push_back(row);
  }
  rows.clear();
  for (const UnwindRow &row : out) {
    if (!rows.empty()) {
      const UnwindRow &p = rows.back();
      if (p.cfa_reg == row.cfa_reg && p.cfa_offset == row.cfa_offset && p.rbp_saved == row.rbp_saved &&
          p.rbp_offset == row.rbp_offset)
        continue;
    }
    rows.push_back(row);
  }
}

}  // namespace

bool parse_eh_frame(const uint8_t *data, size_t size, uint64_t section_vaddr, std::vector<UnwindRow> &rows,
                    std::string &error) {
  Cursor r{std::string_view(reinterpret_cast<const char *>(data), size)};
  std::vector<std::pair<size_t, Cie>> cies;  // by offset in the section
  while (r.pos + 4 <= size) {
    size_t start = r.pos;
    uint64_t length = r.get<uint32_t>();
    if (length == 0) break;  // terminator
    if (length == 0xffffffff) length = r.get<uint64_t>();
    size_t body = r.pos;
    if (r.bad || length > size - body) {
      error = "truncated .eh_frame entry at offset " + std::to_string(start);
      return false;
    }
    size_t end = body + length;
    uint32_t id = r.get<uint32_t>();
    bool ok = true;
    if (id == 0) {
      Cie cie;
      ok = parse_cie(r, end, cie);
      if (ok) cies.emplace_back(start, cie);
    } else {
      size_t cie_at = body - id;
      auto it = std::find_if(cies.begin(), cies.end(), [&](const auto &c) { return c.first == cie_at; });
      if (it == cies.end()) {
        // CIEs come before their FDEs in what linkers write; parse one that does not.
        Cursor cr{r.data, cie_at};
        uint64_t cie_length = cr.get<uint32_t>();
        Cie cie;
        if (cie_length == 0xffffffff) cie_length = cr.get<uint64_t>();
        size_t cie_end = cr.pos + cie_length;
        ok = !cr.bad && cie_end <= size && cr.get<uint32_t>() == 0 && parse_cie(cr, cie_end, cie);
        if (ok) it = cies.insert(cies.end(), {cie_at, cie});
      }
      if (ok) ok = parse_fde(r, end, it->second, section_vaddr, rows);
    }
    if (!ok) {
      error = "malformed .eh_frame entry at offset " + std::to_string(start);
      return false;
    }
    r.pos = end;
  }
  finish_rows(rows);
  return true;
}

const UnwindRow *find_unwind_row(const std::vector<UnwindRow> &rows, uint64_t pc) {
  auto it = std::upper_bound(rows.begin(), rows.end(), pc, [](uint64_t v, const UnwindRow &r) { return v < r.pc; });
  return it == rows.begin() ? nullptr : &*(it - 1);
}

static bool read_at(int fd, uint64_t offset, void *buf, size_t n) {
  size_t done = 0;
  while (done < n) {
    ssize_t got = pread(fd, static_cast<char *>(buf) + done, n - done, static_cast<off_t>(offset + done));
    if (got <= 0) return false;
    done += static_cast<size_t>(got);
  }
  return true;
}

static bool read_elf(int fd, const std::string &path, UnwindFile &file, std::string &error) {
  Elf64_Ehdr eh;
  if (!read_at(fd, 0, &eh, sizeof(eh)) || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
      eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_machine != EM_X86_64) {
    error = path + " is not an x86-64 ELF file";
    return false;
  }
  for (uint16_t i = 0; i < eh.e_phnum; i++) {
    Elf64_Phdr ph;
    if (!read_at(fd, eh.e_phoff + static_cast<uint64_t>(i) * eh.e_phentsize, &ph, sizeof(ph))) break;
    if (ph.p_type == PT_LOAD) file.segments.push_back({ph.p_offset, ph.p_vaddr, ph.p_filesz, (ph.p_flags & PF_X) != 0});
  }
  std::vector<Elf64_Shdr> sections(eh.e_shnum);
  if (eh.e_shnum == 0 || eh.e_shstrndx >= eh.e_shnum ||
      !read_at(fd, eh.e_shoff, sections.data(), sections.size() * sizeof(Elf64_Shdr)))
    return true;  // no section headers: no .eh_frame to find
  const Elf64_Shdr &names = sections[eh.e_shstrndx];
  std::vector<char> strtab(names.sh_size + 1, 0);
  if (!read_at(fd, names.sh_offset, strtab.data(), names.sh_size)) return true;
  for (const Elf64_Shdr &s : sections) {
    if (s.sh_name >= names.sh_size || strcmp(strtab.data() + s.sh_name, ".eh_frame") != 0) continue;
    if (s.sh_type == SHT_NOBITS) return true;  // stripped into a debug file
    std::vector<uint8_t> data(s.sh_size);
    if (!read_at(fd, s.sh_offset, data.data(), data.size())) {
      error = "cannot read .eh_frame of " + path;
      return false;
    }
    if (!parse_eh_frame(data.data(), data.size(), s.sh_addr, file.rows, error)) {
      error += " in " + path;
      return false;
    }
  }
  return true;
}

bool read_unwind_file(const std::string &path, UnwindFile &file, std::string &error) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = "cannot open " + path + ": " + strerror(errno);
    return false;
  }
  bool ok = read_elf(fd, path, file, error);
  close(fd);
  return ok;
}

}  // namespace btc::rt
