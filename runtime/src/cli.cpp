#include "cli.h"

#include <strings.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>

#include "diag.h"
#include "int_text.h"

namespace btc::rt {

// ---- positional parameters ---------------------------------------------------

bool parse_param_int(std::string_view text, int64_t &value) {
  if (text.empty()) return false;
  IntReading r = text[0] == '-' ? read_int(std::string(text)) : read_uint(std::string(text));
  if (!r.ok) return false;
  value = static_cast<int64_t>(r.value);
  return true;
}

bool fill_params(const CliOptions &options, btc_params &params, std::string &error) {
  if (options.params.size() > BTC_MAX_PARAMS) {
    error = "too many arguments: " + std::to_string(options.params.size()) + " given, at most " +
            std::to_string(BTC_MAX_PARAMS) + " are supported";
    return false;
  }
  params.nparams = options.params.size();
  for (size_t i = 0; i < options.params.size(); i++) {
    const std::string &text = options.params[i];
    if (text.size() >= BTC_PARAM_STR_SIZE) {
      error = "argument $" + std::to_string(i + 1) + " is too long (at most " + std::to_string(BTC_PARAM_STR_SIZE - 1) +
              " bytes)";
      return false;
    }
    int64_t v = 0;
    params.param_int[i] = parse_param_int(text, v) ? v : 0;
    memset(params.param_str[i], 0, BTC_PARAM_STR_SIZE);
    memcpy(params.param_str[i], text.data(), text.size());
  }
  return true;
}

bool check_int_params(const btc_tool &tool, const CliOptions &options, std::string &error) {
  for (size_t i = 0; i < options.params.size() && i < BTC_MAX_PARAMS; i++) {
    const std::string &text = options.params[i];
    int64_t v = 0;
    if (!(tool.int_params & (1u << i)) || text.empty() || parse_param_int(text, v)) continue;
    std::string n = "$" + std::to_string(i + 1);
    error =
        n + " is '" + text + "', not a number: the script uses " + n + " as an integer (use str(" + n + ") for text)";
    return false;
  }
  return true;
}

std::vector<std::string> empty_int_params(const btc_tool &tool, const CliOptions &options) {
  std::vector<std::string> empty;
  for (size_t i = 0; i < BTC_MAX_PARAMS; i++) {
    if (!(tool.int_params & (1u << i))) continue;
    if (i >= options.params.size() || options.params[i].empty()) empty.push_back("$" + std::to_string(i + 1));
  }
  return empty;
}

// ---- named parameters ----------------------------------------------------------

static const btc_param_desc *find_named_param(const btc_tool &tool, const std::string &name) {
  for (uint32_t i = 0; i < tool.nnamed_params; i++)
    if (tool.named_params[i].name && name == tool.named_params[i].name) return &tool.named_params[i];
  return nullptr;
}

static bool equals_any(const std::string &text, std::initializer_list<const char *> words) {
  for (const char *w : words)
    if (strcasecmp(text.c_str(), w) == 0) return true;
  return false;
}

// One parameter's value (text or none for a bare --name) into its slot.
static bool set_named_param(const btc_param_desc &desc, const std::optional<std::string> &text, btc_params &params,
                            std::string &error) {
  auto fail = [&](const std::string &problem) {
    error = "program command line option --" + std::string(desc.name) + " " + problem +
            " (value: " + text.value_or("true") + ")";
    return false;
  };
  switch (desc.kind) {
    case BTC_PARAM_INT: {
      if (!text) return fail("expects an integer");
      IntReading r = text->empty() || (*text)[0] == '-' ? read_int(*text) : read_uint(*text);
      if (!r.ok) return fail(r.overflow ? "value is out of range" : r.problem);
      params.named_int[desc.index] = static_cast<int64_t>(r.value);
      return true;
    }
    case BTC_PARAM_BOOL:
      if (!text || equals_any(*text, {"1", "true", "on", "yes"}))
        params.named_int[desc.index] = 1;
      else if (equals_any(*text, {"0", "false", "off", "no"}))
        params.named_int[desc.index] = 0;
      else
        return fail("expects a boolean (e.g. 'true')");
      return true;
    case BTC_PARAM_STR:
      if (!text) return fail("expects a string");
      if (text->size() >= BTC_PARAM_STR_SIZE)
        return fail("is too long (at most " + std::to_string(BTC_PARAM_STR_SIZE - 1) + " bytes)");
      memset(params.named_str[desc.index], 0, BTC_PARAM_STR_SIZE);
      memcpy(params.named_str[desc.index], text->data(), text->size());
      return true;
    default:
      error = "named parameter --" + std::string(desc.name) + " has an unknown kind " + std::to_string(desc.kind);
      return false;
  }
}

bool fill_named_params(const btc_tool &tool, const CliOptions &options, btc_params &params, std::string &error) {
  for (uint32_t i = 0; i < tool.nnamed_params; i++) {
    const btc_param_desc &desc = tool.named_params[i];
    if (desc.index >= BTC_MAX_PARAMS) {
      error = "named parameter --" + std::string(desc.name) + " has slot " + std::to_string(desc.index) +
              ", beyond the " + std::to_string(BTC_MAX_PARAMS) + " slots of btc_params";
      return false;
    }
    std::optional<std::string> value;
    if (desc.default_value) value = desc.default_value;
    bool given = false;
    for (const NamedArg &arg : options.named)  // the last one given wins
      if (arg.name == desc.name) value = arg.value, given = true;
    if (!given && !value) continue;  // no default: the slot stays zero
    if (!set_named_param(desc, value, params, error)) return false;
  }
  return true;
}

// ---- options -----------------------------------------------------------------

namespace {

enum class After { kContinue, kExitOk };

struct OptionSpec {
  char short_name;         // 0 if none
  const char *long_name;   // nullptr if none
  const char *value_name;  // nullptr for a flag
  const char *help;
  // Applies the option; returns an error message, or "" on success.
  std::function<std::string(const std::string &value, CliOptions &options, After &after)> apply;
  bool bpftrace_words = false;  // the error is bpftrace's log line ("ERROR: ..."), not a usage error
};

}  // namespace

// bpftrace's check: a number (read like any integer) no larger than the nominal pid limit.
// The message is bpftrace's log line.
static std::string parse_pid(const std::string &text, std::optional<uint32_t> &pid) {
  IntReading r = read_uint(text);
  if (!r.ok) return "Failed to parse pid: " + int_reading_message(r);
  if (r.value > 0x400000 || r.value == 0) return "Pid out of range: " + std::to_string(r.value);
  pid = static_cast<uint32_t>(r.value);
  return "";
}

static std::string parse_duration(const std::string &text, CliOptions &options) {
  char *end = nullptr;
  errno = 0;
  double seconds = strtod(text.c_str(), &end);
  if (text.empty() || *end || errno == ERANGE || !std::isfinite(seconds) || seconds <= 0)
    return "invalid duration '" + text + "': expected a number of seconds greater than 0";
  options.duration_s = seconds;
  return "";
}

static std::vector<OptionSpec> option_table(const btc_tool &tool, FILE *out) {
  auto flag = [](bool CliOptions::*member) {
    return [member](const std::string &, CliOptions &o, After &) {
      o.*member = true;
      return std::string();
    };
  };
  auto pid = [](std::optional<uint32_t> CliOptions::*member) {
    return [member](const std::string &v, CliOptions &o, After &) { return parse_pid(v, o.*member); };
  };
  return {
      {'p', nullptr, "PID", "trace only process PID; stop when it exits", pid(&CliOptions::pid), true},
      {'c', nullptr, "CMD", "run CMD as a child process (its pid is cpid); stop when it exits",
       [](const std::string &v, CliOptions &o, After &) {
         o.command = v;
         return v.find_first_not_of(" \t") == std::string::npos ? std::string("empty command for -c") : "";
       }},
      // bpftrace's --dwarf-pid, only in tools that take dw_ustack (an option without a name is none)
      {0, tool.dw_unwind ? "dwarf-pid" : nullptr, "PID",
       "dw_ustack unwinds process PID (default: the -c or -p process)", pid(&CliOptions::dwarf_pid), true},
      {'o', nullptr, "FILE", "write the output to FILE instead of stdout",
       [](const std::string &v, CliOptions &o, After &) {
         o.output_path = v;
         return v.empty() ? std::string("empty file name for -o") : "";
       }},
      {'f', nullptr, "FORMAT", "output format: text (default) or json",
       [](const std::string &v, CliOptions &o, After &) {
         if (parse_output_format(v, o.format)) return std::string();
         return "Invalid output format \"" + v + "\"\nValid formats: 'text', 'json'";
       },
       true},
      {'B', nullptr, "MODE", "output buffering: line, full or none",
       [](const std::string &v, CliOptions &o, After &) {
         if (parse_buffer_mode(v, o.buffer)) return std::string();
         return "-B must be either 'line', 'full', or 'none' (not '" + v + "')";
       }},
      {'q', nullptr, nullptr, "quiet: do not print \"Attached N probes\"", flag(&CliOptions::quiet)},
      {'d', "duration", "SECONDS", "stop after SECONDS as if interrupted",
       [](const std::string &v, CliOptions &o, After &) { return parse_duration(v, o); }},
      {0, "check", nullptr, "load every probe against this kernel, attach nothing, report each one",
       flag(&CliOptions::check)},
      // Only tools with test: or bench: probes take these (the others' entries have no name).
      {0, tool.test_bench ? "test" : nullptr, nullptr, "run the test: probes (nothing is attached) and report",
       flag(&CliOptions::run_tests)},
      {0, tool.test_bench ? "bench" : nullptr, nullptr, "run the bench: probes (nothing is attached) and time them",
       flag(&CliOptions::run_benchmarks)},
      {'h', "help", nullptr, "show this help and exit",
       [&tool, out](const std::string &, CliOptions &, After &after) {
         fputs(usage_text(tool).c_str(), out);
         after = After::kExitOk;
         return std::string();
       }},
      {'V', "version", nullptr, "show the version, script hash and build kernel, and exit",
       [&tool, out](const std::string &, CliOptions &, After &after) {
         fputs(version_text(tool).c_str(), out);
         after = After::kExitOk;
         return std::string();
       }},
  };
}

static std::string column(std::string text, size_t width) {
  if (text.size() < width) text.resize(width, ' ');
  return text;
}

static std::string named_param_usage(const btc_param_desc &p) {
  std::string text = std::string("--") + p.name;
  if (p.kind == BTC_PARAM_INT) text += "=NUMBER";
  if (p.kind == BTC_PARAM_STR) text += "=TEXT";
  if (p.kind == BTC_PARAM_BOOL) text += "[=BOOL]";
  return text;
}

std::string usage_text(const btc_tool &tool) {
  std::string text = "usage: " + std::string(tool.name) + " [options]";
  if (tool.max_param == 1) text += " [$1]";
  if (tool.max_param > 1) text += " [$1 ... $" + std::to_string(tool.max_param) + "]";
  if (tool.nnamed_params > 0) text += " [--NAME=VALUE ...]";
  text += "\n";

  if (tool.help && *tool.help) {
    std::string help = tool.help;
    while (!help.empty() && help.back() == '\n') help.pop_back();
    text += "\n" + help + "\n";
  }

  text += "\noptions:\n";
  for (const OptionSpec &o : option_table(tool, nullptr)) {
    if (!o.short_name && !o.long_name) continue;
    std::string names = o.short_name ? std::string("-") + o.short_name : "  ";
    if (o.long_name) names += std::string(o.short_name ? ", " : "  ") + "--" + o.long_name;
    if (o.value_name) names += std::string(" ") + o.value_name;
    text += "  " + column(names, 24) + " " + o.help + "\n";
  }

  if (tool.nnamed_params > 0) {
    text += "\nprogram options:\n";
    for (uint32_t i = 0; i < tool.nnamed_params; i++) {
      const btc_param_desc &p = tool.named_params[i];
      std::string line = "  " + column(named_param_usage(p), 24);
      if (p.description && *p.description) line += std::string(" ") + p.description;
      if (p.default_value) line += std::string(" (default: ") + p.default_value + ")";
      while (!line.empty() && line.back() == ' ') line.pop_back();
      text += line + "\n";
    }
  }
  return text;
}

std::string version_text(const btc_tool &tool) {
  std::string text =
      std::string(tool.name) + " (btc " + (tool.version && *tool.version ? tool.version : "unknown") + ")\n";
  if (tool.script_hash && *tool.script_hash) text += std::string("script hash: ") + tool.script_hash + "\n";
  if (tool.build_kernel && *tool.build_kernel) text += std::string("built on kernel: ") + tool.build_kernel + "\n";
  return text;
}

std::string unknown_program_options_text(const btc_tool &tool, const std::vector<std::string> &names) {
  std::string text;
  std::string error = "unexpected program command line options: ";
  bool asks_for_help = false, has_error = false;
  for (size_t i = 0; i < names.size(); i++) {
    if (names[i] == "help") {
      asks_for_help = true;
      continue;
    }
    has_error = true;
    error += "--" + names[i];
    if (i + 1 != names.size()) error += ", ";
  }
  if (has_error) text += "ERROR: " + error + "\n";

  std::string hint = "expected program options:";
  hint += asks_for_help ? "\n" : " ";
  for (uint32_t i = 0; i < tool.nnamed_params; i++) {
    const btc_param_desc &p = tool.named_params[i];
    hint += std::string("--") + p.name;
    if (asks_for_help && p.description && *p.description) hint += std::string(": ") + p.description;
    if (i + 1 != tool.nnamed_params) hint += asks_for_help ? "\n" : ": ";
  }
  if (tool.nnamed_params == 0) hint = "no custom program options defined.";
  return text + "HINT: " + hint + "\n";
}

static bool looks_like_number(const char *arg) { return arg[0] == '-' && arg[1] >= '0' && arg[1] <= '9'; }

CliResult parse_cli(const btc_tool &tool, int argc, char **argv, FILE *out) {
  CliResult result;
  std::vector<OptionSpec> table = option_table(tool, out);
  std::vector<std::string> unknown;  // --names the tool does not declare

  auto fail = [&](const std::string &message) {
    print_error(message + " (see --help)");
    result.run = false;
    result.exit_code = 1;
    return result;
  };
  auto fail_logged = [&](const std::string &message) {
    log_error(message);
    result.run = false;
    result.exit_code = 1;
    return result;
  };

  // "--name[=value]" that is not a tool option: a named parameter.
  auto add_named = [&](const std::string &name, std::optional<std::string> value) {
    if (!find_named_param(tool, name)) unknown.push_back(name);
    result.options.named.push_back({name, std::move(value)});
  };

  bool options_done = false;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (options_done && arg[0] == '-' && arg[1] == '-' && arg[2]) {
      std::string text = arg + 2;
      size_t eq = text.find('=');
      if (eq == std::string::npos)
        add_named(text, std::nullopt);
      else
        add_named(text.substr(0, eq), text.substr(eq + 1));
      continue;
    }
    if (options_done || arg[0] != '-' || arg[1] == '\0' || looks_like_number(arg)) {
      result.options.params.push_back(arg);
      continue;
    }
    if (strcmp(arg, "--") == 0) {
      options_done = true;
      continue;
    }

    // Find the option: "--name", "--name=value", "-x", "-xVALUE", "-xy".
    std::vector<std::pair<const OptionSpec *, std::string>> to_apply;
    if (arg[1] == '-') {
      std::string name = arg + 2, value;
      size_t eq = name.find('=');
      bool has_value = eq != std::string::npos;
      if (has_value) value = name.substr(eq + 1), name = name.substr(0, eq);
      const OptionSpec *spec = nullptr;
      for (const OptionSpec &o : table)
        if (o.long_name && name == o.long_name) spec = &o;
      if (!spec) {
        add_named(name, has_value ? std::optional<std::string>(value) : std::nullopt);
        continue;
      }
      if (spec->value_name && !has_value) {
        if (i + 1 >= argc) return fail("option '--" + name + "' needs a value");
        value = argv[++i];
      }
      if (!spec->value_name && has_value) return fail("option '--" + name + "' takes no value");
      to_apply.push_back({spec, value});
    } else {
      for (const char *p = arg + 1; *p; p++) {
        const OptionSpec *spec = nullptr;
        for (const OptionSpec &o : table)
          if (o.short_name && o.short_name == *p) spec = &o;
        if (!spec) return fail(std::string("unknown option '-") + *p + "'");
        std::string value;
        if (spec->value_name) {
          if (p[1]) {
            value = p + 1;
          } else {
            if (i + 1 >= argc) return fail(std::string("option '-") + *p + "' needs a value");
            value = argv[++i];
          }
          to_apply.push_back({spec, value});
          break;
        }
        to_apply.push_back({spec, value});
      }
    }

    for (auto &[spec, value] : to_apply) {
      After after = After::kContinue;
      std::string error = spec->apply(value, result.options, after);
      if (!error.empty()) return spec->bpftrace_words ? fail_logged(error) : fail(error);
      if (after == After::kExitOk) {
        result.run = false;
        result.exit_code = 0;
        return result;
      }
    }
  }

  if (!unknown.empty()) {
    fputs(unknown_program_options_text(tool, unknown).c_str(), stderr);
    result.run = false;
    result.exit_code = 1;
    return result;
  }
  if (result.options.pid && !result.options.command.empty()) return fail("cannot use both -c and -p");

  result.run = true;
  return result;
}

}  // namespace btc::rt
