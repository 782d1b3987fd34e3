// Tracepoint lookup: tracefs format files first, kernel BTF for CO-RE structs and as the fallback
// when tracefs is not available.
//
// With tracefs:  syscalls:*  -> format file; pointers are user pointers (syscall arguments).
//                other       -> BTF struct trace_event_raw_<event> when its layout matches the format
//                               file (btf_struct set, CO-RE); otherwise the format file.
// Without it:    see find_tracepoint_at in tracepoints.h.
#include "btf/tracepoints.h"

#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "btf/btf_internal.h"
#include "btf/tracepoint_btf.h"
#include "btf/tracepoint_format.h"

namespace btc {

static bool is_dir(const std::string &path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

static bool read_file(const std::string &path, std::string *out) {
  std::ifstream in(path);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return !in.bad();
}

// A tracefs root whose events/ directory this process can read, or "".
static std::string readable_root() {
  for (const char *root : {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"}) {
    std::string events = std::string(root) + "/events";
    if (is_dir(events) && access(events.c_str(), R_OK | X_OK) == 0) return root;
  }
  return "";
}

static bool mount_tracefs() {
  if (geteuid() != 0 || !is_dir("/sys/kernel/tracing")) return false;
  return mount("nodev", "/sys/kernel/tracing", "tracefs", 0, nullptr) == 0;
}

std::string tracefs_root() {
  std::string root = readable_root();
  if (!root.empty()) return root;
  static const bool mounted = mount_tracefs();  // tried once per process
  return mounted ? readable_root() : "";
}

static bool valid_name(const std::string &s) {
  return !s.empty() && s != "." && s != ".." && s.find('/') == std::string::npos;
}

// The checker appends its own "did you mean" from list_tracepoints, so no hint here.
static std::string not_found_message(const std::string &category, const std::string &event) {
  return "No matches for tracepoint " + category + ":" + event + ".";
}

static std::optional<TracepointFormat> from_tracefs(const KernelBtf &btf, const std::string &tracefs,
                                                    const std::string &category, const std::string &event,
                                                    std::string *err) {
  std::string text;
  if (!read_file(tracefs + "/events/" + category + "/" + event + "/format", &text)) {
    *err = not_found_message(category, event);
    return std::nullopt;
  }
  std::vector<FormatField> format;
  std::string parse_err;
  if (!parse_format_text(text, &format, &parse_err)) {
    *err = category + ":" + event + ": " + parse_err;
    return std::nullopt;
  }

  TracepointFormat tp{category, event, {}, ""};
  if (category != "syscalls") {
    if (auto fields = btf_event_fields(btf, event, &format)) {
      tp.fields = std::move(*fields);
      tp.btf_struct = "struct trace_event_raw_" + event;
      return tp;
    }
  }
  AddrSpace pointers = category == "syscalls" ? AddrSpace::User : AddrSpace::Kernel;
  for (const FormatField &f : format) tp.fields.push_back(to_tracepoint_field(btf, f, pointers));
  return tp;
}

static std::optional<TracepointFormat> from_btf_only(const KernelBtf &btf, const std::string &category,
                                                     const std::string &event, std::string *err) {
  TracepointFormat tp{category, event, {}, ""};
  std::string why;
  if (category == "syscalls") {
    if (auto fields = btf_syscall_fields(btf, event, &why)) {
      tp.fields = std::move(*fields);
      return tp;
    }
  } else if (auto fields = btf_event_fields(btf, event, nullptr)) {
    tp.fields = std::move(*fields);
    tp.btf_struct = "struct trace_event_raw_" + event;
    return tp;
  } else {
    why = "kernel BTF has no struct trace_event_raw_" + event;
  }
  *err = not_found_message(category, event) + " (tracefs is not mounted, and " + why + ")";
  return std::nullopt;
}

std::optional<TracepointFormat> find_tracepoint_at(const KernelBtf &btf, const std::string &tracefs,
                                                   const std::string &category, const std::string &event,
                                                   std::string *err) {
  std::string ignored;
  if (!err) err = &ignored;
  if (!valid_name(category) || !valid_name(event)) {
    *err = not_found_message(category, event);
    return std::nullopt;
  }
  if (!tracefs.empty()) return from_tracefs(btf, tracefs, category, event, err);
  return from_btf_only(btf, category, event, err);
}

std::optional<TracepointFormat> find_tracepoint(const KernelBtf &btf, const std::string &category,
                                                const std::string &event, std::string *err) {
  return find_tracepoint_at(btf, tracefs_root(), category, event, err);
}

std::vector<std::string> raw_tracepoint_events(const KernelBtf &btf) {
  const struct btf *b = btf.raw();
  std::vector<std::string> events;
  const std::string trace_prefix = "btf_trace_";
  uint32_t count = btf__type_cnt(b);
  for (uint32_t id = 1; id < count; id++) {
    const struct btf_type *t = btf__type_by_id(b, id);
    if (!btf_is_typedef(t)) continue;
    std::string name = btf_internal::type_name(b, t);
    if (name.rfind(trace_prefix, 0) == 0) events.push_back(name.substr(trace_prefix.size()));
  }
  std::sort(events.begin(), events.end());
  events.erase(std::unique(events.begin(), events.end()), events.end());
  return events;
}

bool has_raw_tracepoint(const KernelBtf &btf, const std::string &event) {
  return btf__find_by_name_kind(btf.raw(), ("btf_trace_" + event).c_str(), BTF_KIND_TYPEDEF) > 0;
}

// Event names from BTF: the raw tracepoints (no category) and syscall functions (__x64_sys_X
// etc.) for the syscalls category.
static std::vector<std::string> btf_tracepoint_names(const KernelBtf &btf) {
  const struct btf *b = btf.raw();
  std::vector<std::string> names;
  for (const std::string &event : raw_tracepoint_events(btf)) names.push_back(":" + event);
  const char *const sys_prefixes[] = {"__x64_sys_", "__arm64_sys_", "__riscv_sys_", "__s390x_sys_", "__do_sys_"};
  uint32_t count = btf__type_cnt(b);
  for (uint32_t id = 1; id < count; id++) {
    const struct btf_type *t = btf__type_by_id(b, id);
    std::string name = btf_internal::type_name(b, t);
    if (btf_is_func(t)) {
      for (std::string prefix : sys_prefixes) {
        if (name.rfind(prefix, 0) != 0) continue;
        std::string syscall = name.substr(prefix.size());
        if (syscall.empty() || syscall == "ni_syscall") break;
        names.push_back("syscalls:sys_enter_" + syscall);
        names.push_back("syscalls:sys_exit_" + syscall);
        break;
      }
    }
  }
  return names;
}

std::vector<std::string> list_tracepoints_at(const KernelBtf &btf, const std::string &tracefs) {
  std::vector<std::string> names;
  std::string text;
  if (!tracefs.empty() && read_file(tracefs + "/available_events", &text)) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      line = btf_internal::trim(line);
      if (line.find(':') != std::string::npos) names.push_back(line);
    }
  } else {
    names = btf_tracepoint_names(btf);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

std::vector<std::string> list_tracepoints(const KernelBtf &btf) { return list_tracepoints_at(btf, tracefs_root()); }

}  // namespace btc
