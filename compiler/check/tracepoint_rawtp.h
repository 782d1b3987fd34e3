// Tracepoints run as raw tracepoints.
//
// A tracepoint's BPF program is reached through the tracepoint's perf event: the kernel builds the
// event's record for every hit, then runs the programs, and detaching one waits for an RCU grace
// period (25-60 ms on 6.18) and leaves the event to be released under the kernel's event_mutex.
// The raw tracepoint of the same name fires at the same places (a tracepoint's condition is tested
// where it is called, before either runs) and hands the program the call's arguments instead of a
// record: a body that does not read the record (`args`) sees no difference, costs less per hit
// and detaches at once. Syscall tracepoints are left out (they have no raw tracepoint of their own;
// see check/syscall_multi.h), as are bodies that take `kstack`, whose innermost frames would be
// the raw tracepoint's dispatch instead of the perf event's.
#pragma once
#include <vector>

#include "btf/kernel_btf.h"
#include "check/program_info.h"

namespace btc {

// After checking: gives each tracepoint probe that qualifies its raw tracepoint
// (ProbeTarget::raw_tracepoint); the kernel BTF must list the raw tracepoint (btf_trace_<event>).
void run_tracepoints_as_raw(std::vector<ProbeTarget> *probes, const KernelBtf *btf);

}  // namespace btc
