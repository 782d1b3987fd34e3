// --check: will this tool work on this kernel? Every program is loaded (the
// verifier runs) and every probe's target is looked up, but nothing is
// attached and no probe fires. One line per probe:
//
//   tracepoint:syscalls:sys_enter_openat: OK
//   kprobe:do_nanosleep: missing: kprobes are not supported by this kernel
//   uprobe:/bin/bash:readline: rejected: bash.bt:3: R1 invalid mem access 'scalar'
//   fentry:vfs_read: OK (as kprobe:vfs_read: fentry cannot attach: Device or resource busy)
//
// An fentry/fexit probe is tried with a do-nothing program attached for a moment (see
// fentry_trial.h); where it does not attach, the report names the kprobe twin that stands in.
// "missing": the tracepoint, kernel function, binary or symbol, or perf event
// does not exist here (found through tracefs, /proc/kallsyms or
// available_filter_functions, BTF, the binary's ELF symbols, perf_event_open).
// "rejected": the kernel refused to load the probe's program.
#ifndef BTC_RT_PROBE_CHECK_H
#define BTC_RT_PROBE_CHECK_H

#include <cstdio>
#include <string>

#include "btc/abi.h"

namespace btc::rt {

enum class ProbeStatus { kOk, kMissing, kRejected };

struct ProbeReport {
  std::string spec;
  ProbeStatus status = ProbeStatus::kOk;
  std::string reason;  // missing/rejected: why
  std::string note;    // OK: how, e.g. "as kprobe:f: fentry cannot attach: Device or resource busy"
};

std::string format_probe_report(const ProbeReport &report);

// Whether the probe's attach target exists on this machine; false with a
// reason when it does not. BEGIN/END always exist.
bool probe_target_exists(const btc_probe_desc &probe, std::string &reason);

// Runs the check and prints the report to `out`. Returns the exit code: 0
// when every probe is OK, 1 otherwise.
int run_check(const btc_tool &tool, const btc_params &params, FILE *out);

}  // namespace btc::rt

#endif
