// Source lines of a user-space binary's DWARF line tables, read at build time with libdw:
// uprobe:BIN@FILE:LINE[:COL] attaches at the address a line's code starts at.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace btc {

// Whether the debug info of `path` can be read (false, *err set, when the file has no DWARF).
bool has_dwarf(const std::string &path, std::string *err);

// The address (a virtual address of the file, as nm shows it) of source line `line` of `file`
// in the binary `path`, column `column` unless it is 0; nullopt with *err (bpftrace's words)
// when no compile unit has a source file ending in `file`, two different files do, or no line
// table row of that file has the line. The rows are taken in address order and the first one
// that matches wins, so a line with code in several places (inlined copies, split blocks)
// resolves to its lowest address. `file` matches by whole path components: "a.c" matches
// "/src/a.c" but not "/src/xa.c".
std::optional<uint64_t> source_line_address(const std::string &path, const std::string &file, uint64_t line,
                                            uint64_t column, std::string *err);

}  // namespace btc
