// x86_64 system call numbers by the name of their syscall tracepoint, for the syscall
// tracepoints that share one raw tracepoint program (check/syscall_multi.h).
#pragma once
#include <optional>
#include <string>

namespace btc {

// The number of the system call whose tracepoints are sys_enter_NAME and sys_exit_NAME (NAME as
// the kernel's SYSCALL_DEFINE spells it: "openat", "newuname"), or none for a name btc does not
// know. Numbers come from the table syscall_name() uses (templates/btc_syscall_names.h).
std::optional<unsigned> syscall_number(const std::string &name);

}  // namespace btc
