// Tracepoint layouts taken from kernel BTF rather than from tracefs format files.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "btf/kernel_btf.h"
#include "btf/tracepoint_format.h"
#include "btf/tracepoints.h"

namespace btc {

// Fields of BTF's struct trace_event_raw_<event> (without the common `ent` header and the trailing
// `__data[]`; `__data_loc_x` members become field x with is_data_loc). When `format` is given (the
// tracefs format file of the same event), the BTF struct is only used if its layout matches it
// field by field, and the fields then take the format's declarations and integer size/signedness
// so they type exactly as bpftrace types them. nullopt: no such struct, or it does not match.
std::optional<std::vector<TracepointField>> btf_event_fields(const KernelBtf &btf, const std::string &event,
                                                             const std::vector<FormatField> *format);

// syscalls:sys_enter_X / sys_exit_X derived from BTF alone (see find_tracepoint_at in tracepoints.h).
// nullopt with *why set when BTF does not have what is needed.
std::optional<std::vector<TracepointField>> btf_syscall_fields(const KernelBtf &btf, const std::string &event,
                                                               std::string *why);

// True when BTF has a function implementing syscall `name` (__do_sys_X, __x64_sys_X, ...).
bool btf_has_syscall(const KernelBtf &btf, const std::string &name);

}  // namespace btc
