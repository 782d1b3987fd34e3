// Integer constants of the headers a script #includes (`#include <errno.h>` makes EPERM usable),
// as bpftrace gets them from clang: the preprocessor lists the headers' macros, and those whose
// value is an integer literal (or another such macro) become `#define NAME VALUE` lines.
#pragma once
#include <string>
#include <vector>

namespace btc {

// The `#define NAME <integer>` lines of the macros that `includes` (verbatim "#include ..." lines)
// define, found with `clang -E -dM`; include_dirs are searched first. Empty when there are no
// includes or clang fails (an unknown identifier is then reported as usual).
std::vector<std::string> header_integer_macros(const std::string &clang, const std::vector<std::string> &includes,
                                               const std::vector<std::string> &include_dirs);

// The integer macros among `#define` lines (exposed for tests): a value that names another macro
// is replaced by that macro's value; values that are not integer literals are dropped.
std::vector<std::string> integer_macros(const std::string &define_lines);

}  // namespace btc
