// Syscall tracepoint globs as one raw tracepoint program.
//
// Every tracepoint:syscalls:* event the kernel attaches through is a perf event of its own: each
// costs a perf_event_open() at start, a record built for every call it sees, and at exit a detach
// that waits for an RCU grace period and a release that waits for another under the kernel's
// event_mutex (for `sys_enter_*`, 361 events here: ~0.4 s to attach, and ~11 s of kernel work
// after the tool exits, during which other tracers' attaches stall). The raw tracepoints
// sys_enter and sys_exit see every system call with its registers: one program there, picking the
// match by system call number, does the same work with one link, and costs less per matched call
// (35 against 58 ns here) but more per unmatched one (27 against 10 ns). So a glob is folded only
// when it matches many system calls (kMinSyscallGlob), where most calls are matched anyway.
#pragma once
#include <cstddef>
#include <vector>

#include "check/program_info.h"

namespace btc {

constexpr size_t kMinSyscallGlob = 16;

// After checking: folds the matches of each tracepoint:syscalls:sys_enter_GLOB (or sys_exit_GLOB)
// attach point into the first of them (ProbeTarget::multi, raw_tracepoint), whose spec becomes the
// glob's. Only globs of at least kMinSyscallGlob system calls are folded, and only when the body
// reads no registers and of `args` (each call's own record) only what every call has:
// args.__syscall_nr, and at sys_exit args.ret. Matches btc has no number for keep their own program.
void group_syscall_globs(std::vector<ProbeTarget> *probes);

}  // namespace btc
