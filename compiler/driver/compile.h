// The compile pipeline, phase by phase: read -> lex/parse -> check -> emit BPF C -> clang ->
// emit host tables -> link the static executable.
#pragma once
#include <string>
#include <vector>

namespace btc {

struct CompileOptions {
  std::string script_path;   // "" when the program comes from -e
  std::string program_text;  // -e text
  std::string output;        // executable to write
  std::string btf_path = "/sys/kernel/btf/vmlinux";
  std::string emit_dir;      // keep intermediate files here ("" = temporary, removed)
  std::vector<std::string> include_dirs;
  bool verbose = false;
  bool unsafe = false;  // --unsafe: allow system()
};

// Returns the process exit code (0 success, 1 refused script or failed tool). Diagnostics go to stderr.
int compile(const CompileOptions &opts);

}  // namespace btc
