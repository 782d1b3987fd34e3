// Tracepoint argument layouts: from kernel BTF (struct trace_event_raw_<event>, CO-RE relocatable)
// or, where BTF has none (syscalls:sys_enter_* / sys_exit_*), from the tracefs format file.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "btf/kernel_btf.h"
#include "types/types.h"

namespace btc {

struct TracepointField {
  std::string name;     // "filename"
  std::string c_decl;   // declaration as in the format file, e.g. "const char * filename"
  Type type;            // Int/Pointer/String(char[N])/...; user pointers of syscalls tracepoints get AddrSpace::User
  uint32_t offset = 0;  // byte offset in the record
  uint32_t size = 0;
  bool is_data_loc = false;  // __data_loc char[] (dynamic string)
};

struct TracepointFormat {
  std::string category, event;
  std::vector<TracepointField> fields;  // without the common_* fields
  // When set, the BPF struct to use is this BTF record (CO-RE); otherwise the emitter declares
  // a struct from `fields` with explicit offsets.
  std::string btf_struct;               // e.g. "struct trace_event_raw_sched_switch", or ""
};

// Finds the tracefs root: /sys/kernel/tracing or /sys/kernel/debug/tracing ("" if neither is mounted).
// When neither has events/ and the process is root, mounts tracefs on /sys/kernel/tracing (once per
// process) and checks again.
std::string tracefs_root();

// Looks up category:event. Returns nullopt with *err set ("No matches for tracepoint ...") when it does not exist.
std::optional<TracepointFormat> find_tracepoint(const KernelBtf &btf, const std::string &category,
                                                const std::string &event, std::string *err);

// Every "category:event" known on this host (tracefs available_events, or BTF trace_event_raw_* names),
// for wildcard expansion and "did you mean". Sorted. Without tracefs the list comes from BTF, which
// knows event names but not categories: syscalls are "syscalls:sys_enter_X"/"syscalls:sys_exit_X"
// (from the syscall functions in BTF), every other event has an EMPTY category (":sched_switch").
std::vector<std::string> list_tracepoints(const KernelBtf &btf);

// The same two lookups against an explicit tracefs root ("" = no tracefs: BTF only). find_tracepoint
// and list_tracepoints call these with tracefs_root(); tests use them to exercise the BTF fallback.
//
// Without tracefs: other tracepoints need BTF's struct trace_event_raw_<event> (the category cannot
// be checked); syscalls:sys_exit_X needs any syscall function of X in BTF (its layout is fixed),
// syscalls:sys_enter_X needs the prototype of __do_sys_X, which BTF has only for syscalls the compiler
// did not inline (about a quarter of them), so e.g. sys_enter_openat is not found without tracefs.
std::optional<TracepointFormat> find_tracepoint_at(const KernelBtf &btf, const std::string &tracefs,
                                                   const std::string &category, const std::string &event,
                                                   std::string *err);
std::vector<std::string> list_tracepoints_at(const KernelBtf &btf, const std::string &tracefs);

// Raw tracepoints of the kernel: the events with a btf_trace_<event> typedef in BTF (one per
// tracepoint, DEFINE_EVENT ones included; no category). Sorted.
std::vector<std::string> raw_tracepoint_events(const KernelBtf &btf);
// Whether the kernel has raw tracepoint `event` (a btf_trace_<event> typedef in its BTF).
bool has_raw_tracepoint(const KernelBtf &btf, const std::string &event);

}  // namespace btc
