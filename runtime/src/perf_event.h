// perf_event_open() helpers for interval, profile and software probes.
#ifndef BTC_RT_PERF_EVENT_H
#define BTC_RT_PERF_EVENT_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace btc::rt {

struct SoftwareEvent {
  const char *name;
  const char *alias;  // "" if none
  uint64_t config;    // PERF_COUNT_SW_*
  uint64_t default_period;
};

// Looks up a software event by name or alias ("cpu-clock", "cs", ...).
std::optional<SoftwareEvent> find_software_event(std::string_view name);

// Parses a CPU list such as "0-3,8,10-11".
std::vector<int> parse_cpu_list(std::string_view text);

// CPUs listed in /sys/devices/system/cpu/online (CPU 0 if unreadable).
std::vector<int> online_cpus();

// Opens a PERF_TYPE_SOFTWARE event sampling every `period` on `cpu` for all
// processes. Returns the fd or -errno.
int open_software_event(uint64_t config, uint64_t period, int cpu);

// Same for any perf event type (PERF_TYPE_HARDWARE for hardware probes).
int open_perf_event(uint32_t type, uint64_t config, uint64_t period, int cpu);

// Opens a hardware breakpoint (watchpoint) on `length` bytes at `address` for `mode` ("w", "rw",
// "x"), sampling every hit, on one thread (pid, cpu -1) or one CPU (pid -1). Threads the traced
// thread creates later inherit it. Returns the fd or -errno.
int open_breakpoint_event(uint64_t address, uint64_t length, std::string_view mode, int pid, int cpu);

// The thread ids of process `pid` (from /proc/PID/task); empty when it does not exist.
std::vector<int> process_threads(int pid);

// Looks up a hardware event by bpftrace's name or alias ("cpu-cycles", "cycles", ...).
std::optional<SoftwareEvent> find_hardware_event(std::string_view name);

}  // namespace btc::rt

#endif
