#include "perf_event.h"

#include <dirent.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace btc::rt {

static const SoftwareEvent kSoftwareEvents[] = {
    {"alignment-faults", "", PERF_COUNT_SW_ALIGNMENT_FAULTS, 1},
    {"bpf-output", "", PERF_COUNT_SW_BPF_OUTPUT, 1},
    {"context-switches", "cs", PERF_COUNT_SW_CONTEXT_SWITCHES, 1000},
    {"cpu-clock", "cpu", PERF_COUNT_SW_CPU_CLOCK, 1000000},
    {"cpu-migrations", "", PERF_COUNT_SW_CPU_MIGRATIONS, 1},
    {"dummy", "", PERF_COUNT_SW_DUMMY, 1},
    {"emulation-faults", "", PERF_COUNT_SW_EMULATION_FAULTS, 1},
    {"major-faults", "", PERF_COUNT_SW_PAGE_FAULTS_MAJ, 1},
    {"minor-faults", "", PERF_COUNT_SW_PAGE_FAULTS_MIN, 100},
    {"page-faults", "faults", PERF_COUNT_SW_PAGE_FAULTS, 100},
    {"task-clock", "", PERF_COUNT_SW_TASK_CLOCK, 1},
};

std::optional<SoftwareEvent> find_software_event(std::string_view name) {
  for (const SoftwareEvent &e : kSoftwareEvents)
    if (name == e.name || (*e.alias && name == e.alias)) return e;
  return std::nullopt;
}

// bpftrace's hardware event names (PERF_TYPE_HARDWARE).
static const SoftwareEvent kHardwareEvents[] = {
    {"backend-stalls", "", PERF_COUNT_HW_STALLED_CYCLES_BACKEND, 1000000},
    {"branch-instructions", "branches", PERF_COUNT_HW_BRANCH_INSTRUCTIONS, 100000},
    {"branch-misses", "", PERF_COUNT_HW_BRANCH_MISSES, 100000},
    {"bus-cycles", "", PERF_COUNT_HW_BUS_CYCLES, 100000},
    {"cache-misses", "", PERF_COUNT_HW_CACHE_MISSES, 1000000},
    {"cache-references", "", PERF_COUNT_HW_CACHE_REFERENCES, 1000000},
    {"cpu-cycles", "cycles", PERF_COUNT_HW_CPU_CYCLES, 1000000},
    {"frontend-stalls", "", PERF_COUNT_HW_STALLED_CYCLES_FRONTEND, 1000000},
    {"instructions", "", PERF_COUNT_HW_INSTRUCTIONS, 1000000},
    {"ref-cycles", "", PERF_COUNT_HW_REF_CPU_CYCLES, 1000000},
};

std::optional<SoftwareEvent> find_hardware_event(std::string_view name) {
  for (const SoftwareEvent &e : kHardwareEvents)
    if (name == e.name || (*e.alias && name == e.alias)) return e;
  return std::nullopt;
}

std::vector<int> parse_cpu_list(std::string_view text) {
  std::vector<int> cpus;
  std::string s(text);
  const char *p = s.c_str();
  while (*p) {
    char *end;
    long first = strtol(p, &end, 10);
    if (end == p) break;
    long last = first;
    p = end;
    if (*p == '-') {
      last = strtol(p + 1, &end, 10);
      if (end == p + 1) break;
      p = end;
    }
    for (long cpu = first; cpu <= last; cpu++) cpus.push_back(static_cast<int>(cpu));
    while (*p == ',' || *p == '\n' || *p == ' ') p++;
  }
  return cpus;
}

std::vector<int> online_cpus() {
  std::vector<int> cpus;
  FILE *f = fopen("/sys/devices/system/cpu/online", "re");
  if (f) {
    char buf[4096] = {};
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    cpus = parse_cpu_list(std::string_view(buf, n));
  }
  if (cpus.empty()) cpus.push_back(0);
  return cpus;
}

int open_software_event(uint64_t config, uint64_t period, int cpu) {
  return open_perf_event(PERF_TYPE_SOFTWARE, config, period, cpu);
}

int open_perf_event(uint32_t type, uint64_t config, uint64_t period, int cpu) {
  perf_event_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.type = type;
  attr.size = sizeof(attr);
  attr.config = config;
  attr.sample_period = period;
  int fd = static_cast<int>(syscall(__NR_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC));
  return fd < 0 ? -errno : fd;
}

int open_breakpoint_event(uint64_t address, uint64_t length, std::string_view mode, int pid, int cpu) {
  perf_event_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.type = PERF_TYPE_BREAKPOINT;
  attr.size = sizeof(attr);
  attr.bp_type = HW_BREAKPOINT_EMPTY;
  for (char c : mode) {
    if (c == 'r') attr.bp_type |= HW_BREAKPOINT_R;
    if (c == 'w') attr.bp_type |= HW_BREAKPOINT_W;
    if (c == 'x') attr.bp_type |= HW_BREAKPOINT_X;
  }
  attr.bp_addr = address;
  // Execution breakpoints cover one instruction slot: the kernel wants sizeof(long).
  attr.bp_len = (attr.bp_type & HW_BREAKPOINT_X) ? sizeof(long) : length;
  attr.sample_period = 1;
  attr.inherit = 1;
  int fd = static_cast<int>(syscall(__NR_perf_event_open, &attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC));
  return fd < 0 ? -errno : fd;
}

std::vector<int> process_threads(int pid) {
  std::vector<int> tids;
  std::string dir = "/proc/" + std::to_string(pid) + "/task";
  DIR *d = opendir(dir.c_str());
  if (!d) return tids;
  while (dirent *entry = readdir(d)) {
    char *end = nullptr;
    long tid = strtol(entry->d_name, &end, 10);
    if (end != entry->d_name && *end == 0 && tid > 0) tids.push_back(static_cast<int>(tid));
  }
  closedir(d);
  return tids;
}

}  // namespace btc::rt
