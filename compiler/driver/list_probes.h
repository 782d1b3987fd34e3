// `btc -l [PATTERN]`: lists attach points like `bpftrace -l` (tracepoints from tracefs or BTF,
// kprobe/kretprobe/fentry/fexit functions from BTF, software events, and the special probes).
#pragma once
#include <ostream>
#include <string>

namespace btc {

// Returns the process exit code. PATTERN is a shell glob over the full probe name
// ("tracepoint:sched:*", "kprobe:vfs_*", "*openat*"); empty lists everything.
// `verbose` (-lv): uprobes also show their parameters from the binary's DWARF, one per line.
int list_probes(const std::string &pattern, const std::string &btf_path, std::ostream &out, bool verbose = false);

}  // namespace btc
