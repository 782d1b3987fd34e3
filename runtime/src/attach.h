// Attaching the tool's probes and detaching them again.
#ifndef BTC_RT_ATTACH_H
#define BTC_RT_ATTACH_H

#include <string>
#include <vector>

#include "btc/abi.h"
#include "perf_park.h"

struct bpf_link;
struct bpf_program;

namespace btc::rt {

class LoadedObject;

// Every link created so far. Destroying a link detaches its program and, for
// perf-event links, closes the perf event (parked ones go later, see perf_park.h).
class Links {
 public:
  Links() = default;
  Links(const Links &) = delete;
  Links &operator=(const Links &) = delete;
  ~Links() { destroy_all(); }

  void add(bpf_link *link) { links_.push_back(link); }
  // A link libbpf does not know (a uprobe_multi link made by a raw BPF_LINK_CREATE): its fd.
  void add_fd(int fd) { fds_.push_back(fd); }
  // Once every probe is attached: park the perf events of the links.
  void park_perf_events();
  // Detaches every program, then lets the parked perf events go.
  void destroy_all();

 private:
  std::vector<bpf_link *> links_;
  PerfPark park_;
  std::vector<int> fds_;
};

// Attaches one probe (not BEGIN/END). On failure returns false and a reason
// such as "tracepoint does not exist on this kernel".
bool attach_probe(const btc_probe_desc &probe, bpf_program *prog, Links &links, std::string &reason);

// Attaches all probes except BEGIN/END in bpftrace's order (kinds the kernel
// fires in attach order go first, forwards; kprobes and uprobes, which it
// fires in reverse order, go last, backwards), so that probes on one event run
// in script order. On failure prints "cannot attach <spec>: <reason>".
// Attaches every probe but BEGIN/END; *attached = how many probes are live (BEGIN/END count).
bool attach_all(const btc_tool &tool, const LoadedObject &object, Links &links, uint32_t *attached);

// Finds a binary named without '/' in $PATH, then a library of that name
// ("libc" -> .../libc.so.6); names with '/' are returned as is. Empty when
// not found.
std::string resolve_binary(const std::string &name);

// resolve_binary(name) as the -p process sees it: under /proc/PID/root when that process lives
// in another mount namespace (a container), as bpftrace does.
std::string resolve_target_binary(const std::string &name);

// Whether this kernel can attach kprobes (a kprobe PMU or tracefs kprobe_events).
bool kprobes_available();

// -p PID: from now on uprobes and USDT probes attach to this process only.
// (Every other probe filters on btc_params.filter_pid inside BPF.)
void set_target_pid(int pid);
// The -p process (-1: none).
int target_pid();

// btc_tool.path_seen_by: with -p, uprobe/usdt binaries are taken as the target process sees them.
using PathSeenBy = int (*)(int pid, const char *path, char *buf, size_t size);
void set_path_seen_by(PathSeenBy seen_by);

// -c CMD: the child's pid. Watchpoints attach to the -p process, else to this child, else to
// every CPU (bpftrace's rule).
void set_child_pid(int pid);
// -c CMD: the command's executable (its path found in $PATH), where uprobe:*:glob and usdt globs
// look for their matches when there is no -p process; "" without -c.
void set_child_executable(const std::string &path);
const std::string &child_executable();

}  // namespace btc::rt

#endif
