// Command line of a generated tool, with bpftrace's option words:
//
//   TOOL [options] [ARG...] [--name=VALUE...]
//
//   -p PID        trace only this process (uprobes attach to it alone); stop when it exits
//   -c 'CMD'      run CMD as a child (its pid is `cpid`); stop when it exits
//   -o FILE       write the output to FILE instead of stdout
//   -f text|json  output format
//   -B line|full|none   output buffering
//   -q            no "Attached N probes" message
//   -d, --duration SECONDS   stop after SECONDS as if interrupted
//   --check       load every program against this kernel, attach nothing, report per probe
//   --test, --bench   run the test: / bench: probes (only tools that have some take these)
//   -h, --help / -V, --version
//
// ARG i becomes $i in the script. `--name=VALUE` (or `--name` for a boolean)
// sets a named parameter the script declared with getopt(). Options may come
// before or after the arguments; "--" ends the tool's options (what follows
// is positional, or named parameters when it starts with "--"), and an
// argument that looks like a negative number ("-5") is positional.
#ifndef BTC_RT_CLI_H
#define BTC_RT_CLI_H

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "btc/abi.h"
#include "output.h"
#include "output_sink.h"

namespace btc::rt {

struct NamedArg {
  std::string name;                  // without the dashes
  std::optional<std::string> value;  // none for a bare --name
};

struct CliOptions {
  std::vector<std::string> params;  // $1, $2, ...
  std::vector<NamedArg> named;      // --name[=VALUE]; every name is one the tool declares
  std::optional<uint32_t> pid;      // -p
  std::string command;              // -c
  std::optional<uint32_t> dwarf_pid;  // --dwarf-pid (tools that take dw_ustack)
  std::string output_path;          // -o ("" = stdout)
  OutputFormat format = OutputFormat::kText;
  BufferMode buffer = BufferMode::kAuto;
  bool quiet = false;
  double duration_s = 0;  // -d; 0 = run until stopped
  bool check = false;
  bool run_tests = false;       // --test (tools with test: or bench: probes only)
  bool run_benchmarks = false;  // --bench
};

struct CliResult {
  bool run = false;  // false: exit right away with exit_code
  int exit_code = 0;
  CliOptions options;
};

// Parses argv (argv[0] is the program). --help and --version print to `out`,
// errors go to stderr.
CliResult parse_cli(const btc_tool &tool, int argc, char **argv, FILE *out);

std::string usage_text(const btc_tool &tool);

// What bpftrace prints for program options (`names`, without the dashes) the
// script does not declare: "ERROR: unexpected program command line options: ..."
// and a HINT line with the declared ones; a bare "help" among the names only
// asks for that list, with each option's description.
std::string unknown_program_options_text(const btc_tool &tool, const std::vector<std::string> &names);
std::string version_text(const btc_tool &tool);

// A positional parameter as an integer the way bpftrace reads it: optional
// '-', 0x/0b/0 prefixes, '_' separators, 1e3 exponents, u/l/ll suffixes and
// ns/us/ms/s/m/h/d time units. False when the text is not such a number.
bool parse_param_int(std::string_view text, int64_t &value);

// Fills the positional parameter part of btc_params; false with a message
// if an argument does not fit.
bool fill_params(const CliOptions &options, btc_params &params, std::string &error);

// Every positional parameter the script reads as an integer (tool.int_params) must be given a
// number parse_param_int accepts, or nothing (empty or missing reads as 0, as in bpftrace).
// bpftrace takes other text as a string, which a script compiled ahead of time cannot: false
// with a message naming the parameter.
bool check_int_params(const btc_tool &tool, const CliOptions &options, std::string &error);

// The positional parameters the script reads as integers (tool.int_params) that are empty or not
// given, which read as 0: bpftrace warns about each use when it compiles the script; the tool
// warns once per parameter as it starts ("$N", in order).
std::vector<std::string> empty_int_params(const btc_tool &tool, const CliOptions &options);

// Fills btc_params.named_int/named_str for every named parameter the tool
// declares: the value given on the command line, else its default. False
// with bpftrace's message when a value does not suit the parameter's kind.
bool fill_named_params(const btc_tool &tool, const CliOptions &options, btc_params &params, std::string &error);

}  // namespace btc::rt

#endif
