// Parking the perf events that BPF links attach through, so that the tool does not wait for the
// kernel to tear them down.
//
// The last close of a tracepoint (or kprobe/uprobe) perf event waits for an RCU grace period
// (perf_trace_destroy -> tracepoint_synchronize_unregister), tens of milliseconds per event, one
// after the other. A BPF_MAP_TYPE_PERF_EVENT_ARRAY entry holds a reference to its perf event, so
// with every such event parked in one, destroying a link still detaches its program at once but no
// longer drops the last reference. Closing the array hands the references to an RCU callback, and
// the last fput of each event runs later in a kernel worker: the grace periods are paid there.
#ifndef BTC_RT_PERF_PARK_H
#define BTC_RT_PERF_PARK_H

#include <vector>

namespace btc::rt {

class PerfPark {
 public:
  PerfPark() = default;
  PerfPark(const PerfPark &) = delete;
  PerfPark &operator=(const PerfPark &) = delete;
  ~PerfPark() { release(); }

  // Parks every perf event this process holds open, except those whose fd is one of `link_fds`
  // (a kernel without BPF perf links attaches the program to the event itself: parking that
  // event would keep the program attached). Nothing is parked then, nor when the kernel refuses
  // (an event it cannot hold, such as an inherited watchpoint, just stays unparked). Once only.
  void park(const std::vector<int> &link_fds);

  // Closes the array. Call after the links are destroyed; repeated calls do nothing.
  void release();

 private:
  int map_fd_ = -1;
};

}  // namespace btc::rt

#endif
