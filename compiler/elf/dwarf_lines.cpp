#include "elf/dwarf_lines.h"

#include <elfutils/libdw.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <vector>

namespace btc {

namespace {

// An open file and its libdw handle (null when the file cannot be opened or has no DWARF).
class DwarfFile {
 public:
  explicit DwarfFile(const std::string &path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ >= 0) dwarf_ = dwarf_begin(fd_, DWARF_C_READ);
  }
  ~DwarfFile() {
    if (dwarf_) dwarf_end(dwarf_);
    if (fd_ >= 0) close(fd_);
  }
  DwarfFile(const DwarfFile &) = delete;
  DwarfFile &operator=(const DwarfFile &) = delete;
  Dwarf *get() const { return dwarf_; }

 private:
  int fd_ = -1;
  Dwarf *dwarf_ = nullptr;
};

// Whether the path components of `path` end with those of `suffix` ("/src/a.c" ends with
// "src/a.c" and "a.c", not with "xa.c").
bool path_ends_with(const std::string &path, const std::string &suffix) {
  std::filesystem::path full(path), tail(suffix);
  std::vector<std::filesystem::path> have(full.begin(), full.end()), want(tail.begin(), tail.end());
  if (want.empty() || want.size() > have.size()) return false;
  return std::equal(want.rbegin(), want.rend(), have.rbegin());
}

// The source files of the compile unit `cu` (its line table's file list), as libdw spells them.
std::vector<std::string> unit_files(Dwarf_Die *cu) {
  std::vector<std::string> files;
  Dwarf_Files *list = nullptr;
  size_t n = 0;
  if (dwarf_getsrcfiles(cu, &list, &n) != 0) return files;
  for (size_t i = 0; i < n; i++)
    if (const char *name = dwarf_filesrc(list, i, nullptr, nullptr)) files.emplace_back(name);
  return files;
}

// The compile unit with a source file ending in `file` (that file's full name in *matched);
// the first such unit wins unless another names a different file that also ends in `file`.
bool find_unit(Dwarf *dwarf, const std::string &file, Dwarf_Die *unit, std::string *matched, std::string *err) {
  matched->clear();
  Dwarf_CU *cu = nullptr;
  Dwarf_Half version = 0;
  uint8_t unit_type = 0;
  Dwarf_Die cudie, subdie;
  // A skeleton unit (split DWARF) keeps the line table in the binary itself: use it, not the .dwo unit.
  while (dwarf_get_units(dwarf, cu, &cu, &version, &unit_type, &cudie, &subdie) == 0) {
    for (const std::string &name : unit_files(&cudie)) {
      if (!path_ends_with(name, file)) continue;
      if (matched->empty()) {
        *matched = name;
        *unit = cudie;
      } else if (name != *matched) {
        *err = "Ambiguous source path, matches multiple files: " + *matched + ", " + name;
        return false;
      }
    }
  }
  if (matched->empty()) {
    *err = "No compilation unit matches " + file;
    return false;
  }
  return true;
}

}  // namespace

bool has_dwarf(const std::string &path, std::string *err) {
  DwarfFile f(path);
  if (!f.get()) *err = "No DWARF debug info found for '" + path + "'";
  return f.get() != nullptr;
}

std::optional<uint64_t> source_line_address(const std::string &path, const std::string &file, uint64_t line,
                                            uint64_t column, std::string *err) {
  DwarfFile f(path);
  if (!f.get()) {
    *err = "No DWARF debug info found for '" + path + "'";
    return std::nullopt;
  }
  Dwarf_Die unit;
  std::string unit_file;
  if (!find_unit(f.get(), file, &unit, &unit_file, err)) return std::nullopt;
  Dwarf_Lines *lines = nullptr;
  size_t n = 0;
  if (dwarf_getsrclines(&unit, &lines, &n) != 0) {
    *err = "Failed to get compilation unit source lines";
    return std::nullopt;
  }
  // libdw sorts the rows by address. Rows of other files (headers, inlined code from them) are
  // skipped even when their line number matches.
  for (size_t i = 0; i < n; i++) {
    Dwarf_Line *row = dwarf_onesrcline(lines, i);
    int row_line = 0, row_col = 0;
    if (!row || dwarf_lineno(row, &row_line) != 0 || dwarf_linecol(row, &row_col) != 0) continue;
    const char *row_file = dwarf_linesrc(row, nullptr, nullptr);
    if (!row_file || !path_ends_with(row_file, unit_file)) continue;
    if (static_cast<uint64_t>(row_line) != line || (column != 0 && static_cast<uint64_t>(row_col) != column)) continue;
    Dwarf_Addr addr = 0;
    if (dwarf_lineaddr(row, &addr) == 0) return addr;
  }
  *err = "Unable to map '" + file + ":" + std::to_string(line) + (column ? ":" + std::to_string(column) : "") +
         "' to address";
  return std::nullopt;
}

}  // namespace btc
