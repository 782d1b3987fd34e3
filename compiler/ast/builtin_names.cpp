#include "ast/builtin_names.h"

#include <cstdint>

namespace btc::ast {
namespace {

enum : uint8_t {
  kFunction = 1 << 0,     // bpftrace has a call form, name(...)
  kVariable = 1 << 1,     // bpftrace has a builtin variable, a bare name
  kBareCall = 1 << 2,     // the variable may also be written name()
  kImplemented = 1 << 3,  // btc implements it
  kHint = 1 << 4,         // an implemented function offered by "unknown function ..., did you mean"
};

struct BuiltinName {
  std::string_view name;
  uint8_t flags;
};

constexpr uint8_t kFn = kFunction | kImplemented;
constexpr uint8_t kVar = kVariable | kImplemented;
constexpr uint8_t kCallableVar = kVariable | kBareCall | kImplemented;

// Hinted functions come first and in hint order: among equally close names the first wins.
constexpr BuiltinName kNames[] = {
    {"printf", kFn | kHint},
    {"warnf", kFn | kHint},
    {"errorf", kFn | kHint},
    {"exit", kFn | kHint},
    {"print", kFn | kHint},
    {"clear", kFn | kHint},
    {"zero", kFn | kHint},
    {"delete", kFn | kHint},
    {"str", kFn | kHint},
    {"count", kFn | kHint},
    {"sum", kFn | kHint},
    {"min", kFn | kHint},
    {"max", kFn | kHint},
    {"avg", kFn | kHint},
    {"stats", kFn | kHint},
    {"hist", kFn | kHint},
    {"lhist", kFn | kHint},
    {"strlen", kFn | kHint},
    {"strncmp", kFn | kHint},
    {"strcontains", kFn | kHint},
    {"has_key", kFn | kHint},
    {"len", kFn | kHint},
    {"bswap", kFn | kHint},
    {"ksym", kFn | kHint},
    {"signal", kFn | kHint},
    {"override", kFn | kHint},
    {"getopt", kFn | kHint},
    {"time", kFn | kHint},
    {"strftime", kFn | kHint},
    {"usym", kFn | kHint},
    {"reg", kFn | kHint},
    {"strerror", kFn | kHint},
    {"buf", kFn | kHint},
    {"ntop", kFn | kHint},
    {"pton", kFn | kHint},
    {"macaddr", kFn | kHint},
    {"cgroup_path", kFn | kHint},
    {"join", kFn | kHint},
    {"system", kFn | kHint},
    {"cat", kFn | kHint},
    {"nsecs", kFn | kHint | kCallableVar},
    {"kaddr", kFn | kHint},
    {"uaddr", kFn | kHint},
    {"debugf", kFn | kHint},
    {"strstr", kFn | kHint},
    {"pid", kFn | kHint | kCallableVar},
    {"tid", kFn | kHint | kCallableVar},
    {"tseries", kFn | kHint},
    {"kstack", kFn | kHint | kVar},
    {"ustack", kFn | kHint | kVar},
    {"uptr", kFn | kHint},
    {"kptr", kFn | kHint},
    {"signal_name", kFn | kHint},
    {"write_user", kFn | kHint},
    {"socket_cookie", kFn | kHint},
    {"skboutput", kFn | kHint},
    {"str_concat", kFn | kHint},
    {"strcap", kFn | kHint},
    {"memcmp", kFn | kHint},
    {"find", kFn | kHint},
    {"syscall_name", kFn | kHint},
    {"is_err", kFn | kHint},
    {"signal_thread", kFn | kHint},
    {"cgroupid", kFn | kHint},
    {"path", kFn | kHint},
    {"percpu_kaddr", kFn | kHint},
    {"offsetof", kFn},
    {"sizeof", kFn},
    {"uid", kCallableVar},
    {"gid", kCallableVar},
    {"elapsed", kCallableVar},
    {"cpu", kCallableVar},
    {"comm", kCallableVar},
    {"probe", kCallableVar},
    {"func", kCallableVar},
    {"rand", kCallableVar},
    {"cgroup", kCallableVar},
    {"jiffies", kCallableVar},
    {"cpid", kCallableVar},
    {"curtask", kCallableVar},
    {"ppid", kCallableVar},
    {"ncpus", kCallableVar},
    {"numaid", kCallableVar},
    {"username", kCallableVar},
    {"pcomm", kCallableVar},
    {"usermode", kCallableVar},
    {"probetype", kCallableVar},
    {"retval", kCallableVar},
    {"leader_comm", kCallableVar},
    {"leader_tid", kCallableVar},
    {"args", kVar},
    {"ctx", kVar},
    {"dw_ustack", kFn | kVar},
    {"default_str_length", kCallableVar},
    {"has_cpid", kCallableVar},
    {"is_str", kFn},
    {"is_ptr", kFn},
    {"is_array", kFn},
    {"is_integer", kFn},
    {"is_unsigned_integer", kFn},
    {"is_literal", kFn},
    {"assert_str", kFn},
    {"static_assert", kFn},
    {"fail", kFn},
    {"kfunc_exist", kFn},
    {"kfunc_allowed", kFn},
    // bpftrace functions btc does not implement.
    {"unwatch", kFunction},
};

uint8_t flags_of(std::string_view name) {
  for (const BuiltinName &b : kNames)
    if (b.name == name) return b.flags;
  return 0;
}

}  // namespace

bool is_builtin_variable(std::string_view name) { return flags_of(name) & kVariable; }

bool is_bare_callable(std::string_view name) { return flags_of(name) & kBareCall; }

bool macro_mismatch_falls_back(std::string_view name) { return flags_of(name) != 0; }

const std::vector<std::string> &function_hints() {
  static const std::vector<std::string> hints = [] {
    std::vector<std::string> v;
    constexpr uint8_t kHinted = kFunction | kImplemented | kHint;
    for (const BuiltinName &b : kNames)
      if ((b.flags & kHinted) == kHinted) v.emplace_back(b.name);
    return v;
  }();
  return hints;
}

}  // namespace btc::ast
