#include "perf_park.h"

#include <bpf/bpf.h>
#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "diag.h"

namespace btc::rt {

// Whether descriptor `fd` of this process is a perf event ("anon_inode:[perf_event]").
static bool is_perf_event(int fd) {
  char path[32], target[32];
  snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(path, target, sizeof target - 1);
  if (n <= 0) return false;
  target[n] = '\0';
  return strcmp(target, "anon_inode:[perf_event]") == 0;
}

// The perf events this process holds open. libbpf opens one per tracepoint, kprobe, uprobe
// (USDT probes are uprobes) and keeps it next to the link; interval, profile, software and
// watchpoint probes open theirs in attach.cpp.
static std::vector<int> open_perf_events() {
  std::vector<int> fds;
  DIR *dir = opendir("/proc/self/fd");
  if (!dir) return fds;
  while (dirent *entry = readdir(dir)) {
    if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
    int fd = atoi(entry->d_name);
    if (is_perf_event(fd)) fds.push_back(fd);
  }
  closedir(dir);
  return fds;
}

void PerfPark::park(const std::vector<int> &link_fds) {
  if (map_fd_ >= 0) return;
  std::vector<int> events = open_perf_events();
  for (int fd : events)
    if (std::find(link_fds.begin(), link_fds.end(), fd) != link_fds.end()) return;
  if (events.empty()) return;
  map_fd_ = bpf_map_create(BPF_MAP_TYPE_PERF_EVENT_ARRAY, "btc_park", sizeof(uint32_t), sizeof(uint32_t),
                           static_cast<uint32_t>(events.size()), nullptr);
  if (map_fd_ < 0) {
    map_fd_ = -1;
    return;
  }
  uint32_t slot = 0;
  for (int fd : events) {
    uint32_t value = static_cast<uint32_t>(fd);
    if (bpf_map_update_elem(map_fd_, &slot, &value, BPF_ANY) == 0) slot++;
  }
  if (verbose()) fprintf(stderr, "%s: note: %u of %zu perf events parked\n", tool_name(), slot, events.size());
  if (slot == 0) release();
}

void PerfPark::release() {
  if (map_fd_ < 0) return;
  close(map_fd_);
  map_fd_ = -1;
}

}  // namespace btc::rt
