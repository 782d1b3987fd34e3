// Closing the last file descriptors of BPF links, several at once.
//
// On 6.18 every perf-event link (tracepoint, kprobe, uprobe) detaches its program with
// perf_event_detach_bpf_prog(), which ends in synchronize_rcu_tasks_trace(): each close() waits
// for a grace period (25-30 ms here), and closed one after the other they add up (opensnoop's four
// tracepoints: ~120 ms from SIGINT to exit). Closed from several tasks at once, the waits overlap.
#ifndef BTC_RT_LINK_CLOSE_H
#define BTC_RT_LINK_CLOSE_H

#include <vector>

namespace btc::rt {

// Closes every fd of `fds`, each from a short-lived task that shares this process's memory and
// file table (clone with CLONE_VM | CLONE_FILES), up to 256 at a time, and returns once all are
// closed. With fewer than two fds, or when a task cannot be made, the fd is closed here.
void close_all_at_once(const std::vector<int> &fds);

}  // namespace btc::rt

#endif
