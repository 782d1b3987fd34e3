// Integer macros of the headers a script #includes (#include <syscall.h> gives __NR_nanosleep):
// the build host's preprocessor lists them, so scripts can name them like bpftrace's, which
// compiles the includes with clang.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace btc {

// `#define NAME VALUE` lines (clang -dM output) -> NAME: VALUE for every VALUE that is an integer
// literal, possibly in parentheses, negated or with a U/L suffix, or the name of such a macro.
std::map<std::string, int64_t> parse_integer_macros(const std::string &defines);

// Runs `clang -E -dM` over the script's `#include` lines (with btc's -I directories); empty when
// there are none or the preprocessor fails (a header of the target kernel only, say).
std::map<std::string, int64_t> header_integer_macros(const std::string &clang,
                                                     const std::vector<std::string> &c_definitions,
                                                     const std::vector<std::string> &include_dirs);

}  // namespace btc
