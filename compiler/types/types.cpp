#include "types/types.h"

namespace btc {

namespace {

// "min_t" / "umin_t": unsigned aggregates carry a 'u' prefix, as in bpftrace.
std::string aggregate_name(const char *name, const Type &t) { return (t.is_signed ? "" : "u") + std::string(name); }

// Tracepoint `args`: name "syscalls:sys_enter_openat" -> "struct _tracepoint_syscalls_sys_enter_openat".
std::string context_name(const std::string &name) {
  if (name.empty()) return "args";
  std::string s = "struct _tracepoint_";
  for (char c : name) s += c == ':' ? '_' : c;
  return s;
}

}  // namespace

std::string to_string(const Type &t) {
  switch (t.kind) {
    case TypeKind::None:
      return "none";
    case TypeKind::Void:
      return "void";
    case TypeKind::Bool:
      return "bool";
    case TypeKind::Int:
      return (t.is_signed ? "int" : "uint") + std::to_string(8 * t.size);
    case TypeKind::String:
      return "string[" + std::to_string(t.size) + "]";
    case TypeKind::Buffer:
      return "buffer[" + std::to_string(t.size > 8 ? t.size - 8 : 0) + "]";  // size counts the u64 length
    case TypeKind::Pointer:
      return (t.inner.empty() ? std::string("void") : to_string(t.inner[0])) + " *";
    case TypeKind::Record:
      return t.name.empty() ? "record" : t.name;
    case TypeKind::Array:
      return (t.inner.empty() ? std::string("none") : to_string(t.inner[0])) + "[" + std::to_string(t.count) + "]";
    case TypeKind::Tuple: {
      std::string s = "(";
      for (size_t i = 0; i < t.inner.size(); i++) {
        if (i > 0) s += ", ";
        if (i < t.fields.size()) s += t.fields[i] + "=";
        s += to_string(t.inner[i]);
      }
      return s + ")";
    }
    case TypeKind::Kstack:
      return "kstack_t";
    case TypeKind::Ustack:
      return "ustack_t";
    case TypeKind::Ksym:
      return "ksym_t";
    case TypeKind::Usym:
      return "usym_t";
    case TypeKind::Timestamp:
      return "timestamp";
    case TypeKind::Strerror:
      return "strerror_t";
    case TypeKind::Username:
      return "username_t";
    case TypeKind::Inet:
      return "inet";
    case TypeKind::MacAddr:
      return "mac_address";
    case TypeKind::CgroupPath:
      return "cgroup_path_t";
    case TypeKind::Context:
      return context_name(t.name);
    case TypeKind::Count:
      return "count_t";
    case TypeKind::Sum:
      return aggregate_name("sum_t", t);
    case TypeKind::Min:
      return aggregate_name("min_t", t);
    case TypeKind::Max:
      return aggregate_name("max_t", t);
    case TypeKind::Avg:
      return aggregate_name("avg_t", t);
    case TypeKind::Stats:
      return aggregate_name("stats_t", t);
    case TypeKind::Hist:
      return "hist_t";
    case TypeKind::Lhist:
      return "lhist_t";
    case TypeKind::Tseries:
      return "tseries_t";
  }
  return "none";
}

}  // namespace btc
