#include "cli.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>

#include "diag.h"

namespace btc::rt {

// ---- positional parameters ---------------------------------------------------

static bool checked_mul(uint64_t a, uint64_t b, uint64_t &out) { return !__builtin_mul_overflow(a, b, &out); }

static bool parse_unsigned(std::string text, int base, uint64_t &value) {
  std::string digits;
  for (char c : text)
    if (c != '_') digits += c;

  if (base == 0 && digits.size() >= 2) {
    if (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) return parse_unsigned(digits.substr(2), 16, value);
    if (digits[0] == '0' && (digits[1] == 'b' || digits[1] == 'B')) return parse_unsigned(digits.substr(2), 2, value);
    if (digits[0] == '0' && digits[1] >= '0' && digits[1] <= '7') return parse_unsigned(digits.substr(1), 8, value);
  }

  const char *start = digits.c_str();
  char *end = nullptr;
  errno = 0;
  uint64_t v = strtoull(start, &end, base);
  if (end == start) return false;
  if (v == std::numeric_limits<uint64_t>::max() && errno == ERANGE) return false;

  // 1e3 style: a single leading digit 1-9 times a power of ten.
  if ((*end == 'e' || *end == 'E') && end[1] >= '1' && end[1] <= '9') {
    if (v == 0 || v >= 10) return false;
    char *exp_start = end + 1;
    uint64_t exp = strtoull(exp_start, &end, 10);
    for (uint64_t i = 0; i < exp; i++)
      if (!checked_mul(v, 10, v)) return false;
  }

  struct Suffix {
    const char *text;
    uint64_t max;
    uint64_t multiplier;
  };
  static const Suffix kSuffixes[] = {
      {"", UINT64_MAX, 1},
      {"u", UINT32_MAX, 1},
      {"ul", UINT64_MAX, 1},
      {"ull", UINT64_MAX, 1},
      {"l", INT64_MAX, 1},
      {"ll", INT64_MAX, 1},
      {"ns", UINT64_MAX, 1},
      {"us", UINT64_MAX, 1000},
      {"ms", UINT64_MAX, 1000000},
      {"s", UINT64_MAX, 1000000000},
      {"m", UINT64_MAX, 60000000000},
      {"h", UINT64_MAX, 3600000000000},
      {"d", UINT64_MAX, 86400000000000},
  };
  for (const Suffix &s : kSuffixes) {
    if (strcmp(end, s.text) != 0) continue;
    if (v > s.max / s.multiplier) return false;
    value = v * s.multiplier;
    return true;
  }
  return false;
}

bool parse_param_int(std::string_view text, int64_t &value) {
  if (text.empty()) return false;
  if (text[0] == '-') {
    uint64_t magnitude;
    if (!parse_unsigned(std::string(text.substr(1)), 0, magnitude)) return false;
    if (magnitude > static_cast<uint64_t>(INT64_MAX) + 1) return false;
    value = static_cast<int64_t>(0 - magnitude);
    return true;
  }
  uint64_t v;
  if (!parse_unsigned(std::string(text), 0, v)) return false;
  value = static_cast<int64_t>(v);
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
};

}  // namespace

static std::vector<OptionSpec> option_table(const btc_tool &tool, FILE *out) {
  return {
      {'h', "help", nullptr, "show this help and exit",
       [&tool, out](const std::string &, CliOptions &, After &after) {
         fputs(usage_text(tool).c_str(), out);
         after = After::kExitOk;
         return std::string();
       }},
      {0, "version", nullptr, "show the version and exit",
       [&tool, out](const std::string &, CliOptions &, After &after) {
         fprintf(out, "%s (btc %s)\n", tool.name, tool.version && *tool.version ? tool.version : "unknown");
         after = After::kExitOk;
         return std::string();
       }},
  };
}

std::string usage_text(const btc_tool &tool) {
  std::string text = "usage: " + std::string(tool.name) + " [options]";
  if (tool.max_param == 1) text += " [$1]";
  if (tool.max_param > 1) text += " [$1 ... $" + std::to_string(tool.max_param) + "]";
  text += "\n";

  if (tool.help && *tool.help) {
    std::string help = tool.help;
    while (!help.empty() && help.back() == '\n') help.pop_back();
    text += "\n" + help + "\n";
  }

  text += "\noptions:\n";
  for (const OptionSpec &o : option_table(tool, nullptr)) {
    std::string names = o.short_name ? std::string("-") + o.short_name : "  ";
    if (o.long_name) names += std::string(o.short_name ? ", " : "  ") + "--" + o.long_name;
    if (o.value_name) names += std::string(" ") + o.value_name;
    if (names.size() < 22) names.resize(22, ' ');
    text += "  " + names + " " + o.help + "\n";
  }
  return text;
}

static bool looks_like_number(const char *arg) { return arg[0] == '-' && arg[1] >= '0' && arg[1] <= '9'; }

CliResult parse_cli(const btc_tool &tool, int argc, char **argv, FILE *out) {
  CliResult result;
  std::vector<OptionSpec> table = option_table(tool, out);

  auto fail = [&](const std::string &message) {
    print_error(message + " (see --help)");
    result.run = false;
    result.exit_code = 1;
    return result;
  };

  bool options_done = false;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
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
      if (!spec) return fail("unknown option '--" + name + "'");
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
      if (!error.empty()) return fail(error);
      if (after == After::kExitOk) {
        result.run = false;
        result.exit_code = 0;
        return result;
      }
    }
  }

  result.run = true;
  return result;
}

}  // namespace btc::rt
