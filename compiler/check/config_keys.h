// The script's `config = { key = value; ... }` block: every key bpftrace v0.26 accepts, with
// its value rules and diagnostics. Keys may be written as bpftrace's environment variables
// (BPFTRACE_STACK_MODE) too.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "ast/ast.h"
#include "check/program_info.h"
#include "diag/diagnostics.h"

namespace btc {

// Applies the items in order (a later item wins) to `config`, reporting bad keys and values.
void apply_config_items(const std::vector<ast::ConfigItem> &items, ProgramInfo::Config &config, Diagnostics &diags);

// One setting as the `config` builtin shows it: bpftrace's record of the current settings.
struct ConfigValue {
  enum Kind { Bool, Int, String } kind;
  uint64_t number = 0;  // Bool, Int
  std::string text;     // String
};
std::optional<ConfigValue> config_value(const ProgramInfo::Config &config, const std::string &key);
std::vector<std::string> config_record_keys();

}  // namespace btc
