// bpftrace's configuration keys (src/config.cpp of v0.26): names, value rules, defaults and
// diagnostics. Values are stored normalised in Config::settings; the settings btc acts on are
// then copied into Config's typed fields.
#include "check/config_keys.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <map>

namespace btc {
namespace {

enum class Rule { Bool, Number, Text, License, StackMode, MissingProbes, Unstable, SymbolCache };

struct KeyRule {
  const char *key;
  Rule rule;
  const char *default_value;
};

// Every key bpftrace v0.26 accepts, with its default.
const KeyRule kKeys[] = {
    {"cache_user_symbols", Rule::SymbolCache, "per_pid"},
    {"cpp_demangle", Rule::Bool, "true"},
    {"lazy_symbolication", Rule::Bool, "true"},
    {"license", Rule::License, "GPL"},
    {"log_size", Rule::Number, "1000000"},
    {"max_bpf_progs", Rule::Number, "1024"},
    {"max_cat_bytes", Rule::Number, "10240"},
    {"max_map_keys", Rule::Number, "4096"},
    {"max_probes", Rule::Number, "1024"},
    {"max_strlen", Rule::Number, "1024"},
    {"on_stack_limit", Rule::Number, "32"},
    {"perf_rb_pages", Rule::Number, "0"},
    {"stack_mode", Rule::StackMode, "bpftrace"},
    {"str_trunc_trailer", Rule::Text, ".."},
    {"missing_probes", Rule::MissingProbes, "error"},
    {"print_maps_on_exit", Rule::Bool, "true"},
    {"use_blazesym", Rule::Bool, "true"},     // bpftrace's own build (with blazesym)
    {"show_debug_info", Rule::Bool, "true"},  // file:line in ustack frames
    {"unstable_import_statement", Rule::Unstable, "error"},
    {"unstable_tseries", Rule::Unstable, "warn"},
    {"unstable_typeinfo", Rule::Unstable, "error"},
    {"unstable_dw_ustack", Rule::Unstable, "warn"},
};

const std::map<std::string, std::string> kRenamed = {
    {"strlen", "max_strlen"},
    {"no_cpp_demangle", "cpp_demangle"},
    {"cat_bytes_max", "max_cat_bytes"},
    {"map_keys_max", "max_map_keys"},
};

const char *const kDeprecated[] = {"symbol_source",   "max_type_res_iterations", "unstable_addr",
                                   "unstable_import", "unstable_macro",          "unstable_map_decl"};
const char *const kEnvironmentOnly[] = {"btf", "kernel_build", "kernel_source", "vmlinux"};

// In bpftrace's order (the iteration order of its table), for the error message.
const char *const kLicenses[] = {"Dual MIT/GPL", "Dual BSD/GPL", "Dual MPL/GPL", "GPL and additional rights",
                                 "GPL v2",       "GPL"};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// "BPFTRACE_STACK_MODE" and "stack_mode" name the same key.
std::string canonical_key(const std::string &key) {
  std::string k = lower(key);
  if (k.rfind("bpftrace_", 0) == 0) k = k.substr(9);
  return k;
}

const KeyRule *find_rule(const std::string &key) {
  for (const auto &r : kKeys)
    if (key == r.key) return &r;
  return nullptr;
}

template <size_t N>
bool contains(const char *const (&list)[N], const std::string &s) {
  return std::find_if(std::begin(list), std::end(list), [&](const char *x) { return s == x; }) != std::end(list);
}

bool truthy(const std::string &v) {
  std::string l = lower(v);
  return l == "1" || l == "true" || l == "on" || l == "yes";
}

bool falsy(const std::string &v) {
  std::string l = lower(v);
  return l == "0" || l == "false" || l == "off" || l == "no";
}

// bpftrace's integer syntax for config values: underscores, 0x/0b/0 prefixes.
std::optional<uint64_t> parse_number(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), '_'), s.end());
  int base = 10;
  if (s.size() >= 2 && (s.rfind("0x", 0) == 0 || s.rfind("0X", 0) == 0)) {
    base = 16;
    s = s.substr(2);
  } else if (s.size() >= 2 && (s.rfind("0b", 0) == 0 || s.rfind("0B", 0) == 0)) {
    base = 2;
    s = s.substr(2);
  } else if (s.size() >= 2 && s[0] == '0' && s[1] >= '0' && s[1] <= '7') {
    base = 8;
  }
  if (s.empty() || !std::isalnum(static_cast<unsigned char>(s[0]))) return std::nullopt;
  char *end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(s.c_str(), &end, base);
  if (*end || errno == ERANGE) return std::nullopt;
  return static_cast<uint64_t>(v);
}

// The value in its stored form, or an error message.
struct Normalised {
  std::string value;
  std::string error;
};

Normalised normalise(const KeyRule &rule, const std::string &key, const std::string &v) {
  auto fail = [&](const std::string &detail) { return Normalised{"", key + ": " + detail}; };
  switch (rule.rule) {
    case Rule::Bool:
      if (truthy(v)) return {"true", ""};
      if (falsy(v)) return {"false", ""};
      return fail("Invalid bool value: valid values are true, false, 1 or 0.");
    case Rule::Number: {
      auto n = parse_number(v);
      if (!n) return fail("expecting a number, got " + v);
      return {std::to_string(*n), ""};
    }
    case Rule::Text:
      return {v, ""};
    case Rule::License: {
      if (contains(kLicenses, v)) return {v, ""};
      std::string msg = "Invalid value for license. Found: " + v + ". Valid values: ";
      for (size_t i = 0; i < std::size(kLicenses); i++) msg += std::string(i ? ", " : "") + kLicenses[i];
      msg +=
          ". Read more about BPF programs and licensing: "
          "https://docs.kernel.org/bpf/bpf_licensing.html#using-bpf-programs-in-the-linux-kernel";
      return {"", msg};
    }
    case Rule::StackMode:
      if (v == "bpftrace" || v == "perf" || v == "raw" || v == "build_id") return {v, ""};
      return fail("Invalid value for stack_mode: valid values are bpftrace, raw, perf, and build_id.");
    case Rule::MissingProbes: {
      std::string l = lower(v);
      if (l == "ignore" || l == "warn" || l == "error") return {l, ""};
      return fail("Invalid value for missing_probes: valid values are ignore, warn, and error.");
    }
    case Rule::Unstable: {
      std::string l = lower(v);
      if (l == "enable" || truthy(v)) return {"enable", ""};
      if (l == "warn") return {"warn", ""};
      if (l == "error" || falsy(v)) return {"error", ""};
      return fail("Invalid value for unstable config: valid values are enable, warn, and error.");
    }
    case Rule::SymbolCache: {
      std::string l = lower(v);
      if (l == "1") return {rule.default_value, ""};
      if (l == "per_pid" || l == "per_program") return {l, ""};
      if (l == "none" || l == "0") return {"none", ""};
      return fail("Invalid value for cache_user_symbols: valid values are PER_PID, PER_PROGRAM, and NONE.");
    }
  }
  return {v, ""};
}

std::string setting(const ProgramInfo::Config &c, const std::string &key) {
  auto it = c.settings.find(key);
  if (it != c.settings.end()) return it->second;
  const KeyRule *r = find_rule(key);
  return r ? r->default_value : "";
}

uint64_t number_setting(const ProgramInfo::Config &c, const std::string &key) {
  return parse_number(setting(c, key)).value_or(0);
}

// Limits btc itself has on settings bpftrace takes as any number.
std::string btc_limit_error(const std::string &key, uint64_t v) {
  // Long strings live in per-CPU scratch map slots (emit_scratch.cpp), whose values the kernel
  // limits to 32 KiB.
  if (key == "max_strlen" && (v < 1 || v > 32768)) return "max_strlen must be a number in 1..32768";
  if (key == "max_map_keys" && (v < 1 || v > (1u << 24))) return "max_map_keys must be a number in 1..16777216";
  if (key == "perf_rb_pages" && v > (1u << 20)) return "perf_rb_pages must be at most 1048576";
  return "";
}

// The typed fields the emitters and the runtime read.
void copy_typed_fields(ProgramInfo::Config &c) {
  std::string mp = setting(c, "missing_probes");
  c.missing_probes = mp == "error" ? 0 : mp == "warn" ? 1 : 2;
  c.print_maps_on_exit = setting(c, "print_maps_on_exit") == "true";
  c.max_map_keys = static_cast<uint32_t>(number_setting(c, "max_map_keys"));
  c.max_strlen = static_cast<uint32_t>(number_setting(c, "max_strlen"));
  std::string sm = setting(c, "stack_mode");
  c.stack_mode = sm == "perf" ? 1 : sm == "raw" ? 2 : sm == "build_id" ? 3 : 0;  // enum btc_stack_mode
  c.license = setting(c, "license");
  c.perf_rb_pages = static_cast<uint32_t>(number_setting(c, "perf_rb_pages"));
  c.max_bpf_progs = number_setting(c, "max_bpf_progs");
  c.max_probes = number_setting(c, "max_probes");
  c.str_trunc_trailer = setting(c, "str_trunc_trailer");
  c.max_cat_bytes = number_setting(c, "max_cat_bytes");
}

}  // namespace

void apply_config_items(const std::vector<ast::ConfigItem> &items, ProgramInfo::Config &config, Diagnostics &diags) {
  for (const auto &item : items) {
    if (contains(kDeprecated, item.key)) {
      diags.warning(DiagKind::Semantic, item.range, item.key + " is deprecated and has no effect");
      continue;
    }
    std::string key = canonical_key(item.key);
    auto renamed = kRenamed.find(key);
    if (renamed != kRenamed.end()) {
      diags.warning(DiagKind::Semantic, item.range, item.key + " has been renamed, please use " + renamed->second);
      key = renamed->second;
    }
    const KeyRule *rule = find_rule(key);
    if (!rule) {
      std::string detail = contains(kEnvironmentOnly, key) ? "can only be set as an environment variable"
                                                           : "not a known configuration option";
      diags.error(DiagKind::Name, item.range, item.key + ": " + detail);
      continue;
    }
    Normalised n = normalise(*rule, item.key, item.value);
    if (n.error.empty() && rule->rule == Rule::Number) n.error = btc_limit_error(key, *parse_number(n.value));
    if (!n.error.empty()) {
      diags.error(DiagKind::Semantic, item.range, n.error);
      continue;
    }
    config.settings[key] = n.value;
  }
  copy_typed_fields(config);
}

std::vector<std::string> config_record_keys() {
  std::vector<std::string> keys;
  for (const auto &r : kKeys)
    if (r.rule != Rule::SymbolCache) keys.push_back(r.key);
  return keys;
}

// bpftrace's `config` record holds every key but cache_user_symbols.
std::optional<ConfigValue> config_value(const ProgramInfo::Config &config, const std::string &key) {
  const KeyRule *rule = find_rule(key);
  if (!rule || rule->rule == Rule::SymbolCache) return std::nullopt;
  std::string v = setting(config, key);
  switch (rule->rule) {
    case Rule::Bool:
      return ConfigValue{ConfigValue::Bool, v == "true" ? 1u : 0u, ""};
    case Rule::Number:
      return ConfigValue{ConfigValue::Int, parse_number(v).value_or(0), ""};
    default:
      return ConfigValue{ConfigValue::String, 0, v};
  }
}

}  // namespace btc
