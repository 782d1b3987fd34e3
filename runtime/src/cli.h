// Command line of a generated tool:
//
//   TOOL [options] [ARG...]      ARG i becomes $i in the script
//
// Options may come before or after the arguments; "--" ends them, and an
// argument that looks like a negative number ("-5") is an argument. Options
// live in one table (cli.cpp) so that new ones (-f json, -p PID, -c CMD,
// -o FILE, -q, -d) are one entry each.
#ifndef BTC_RT_CLI_H
#define BTC_RT_CLI_H

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "btc/abi.h"

namespace btc::rt {

struct CliOptions {
  std::vector<std::string> params;  // $1, $2, ...
};

struct CliResult {
  bool run = false;  // false: exit right away with exit_code
  int exit_code = 0;
  CliOptions options;
};

// Parses argv (argv[0] is the program). --help and --version print to `out`,
// errors go to stderr as one line.
CliResult parse_cli(const btc_tool &tool, int argc, char **argv, FILE *out);

std::string usage_text(const btc_tool &tool);

// A positional parameter as an integer the way bpftrace reads it: optional
// '-', 0x/0b/0 prefixes, '_' separators, 1e3 exponents, u/l/ll suffixes and
// ns/us/ms/s/m/h/d time units. False when the text is not such a number.
bool parse_param_int(std::string_view text, int64_t &value);

// Fills the parameter part of btc_params; false with a message if an
// argument does not fit.
bool fill_params(const CliOptions &options, btc_params &params, std::string &error);

}  // namespace btc::rt

#endif
