#include "event_transport.h"

#include <bpf/libbpf.h>
#include <linux/perf_event.h>

#include <cstdlib>
#include <cstring>
#include <ctime>

#include "btc/abi.h"

namespace btc::rt {

static const size_t kPageSize = 4096;

bool use_perf_buffer() {
  const char *forced = getenv("BTC_FORCE_PERF_BUFFER");
  if (forced && strcmp(forced, "1") == 0) return true;
  // 0: the kernel rejects the map type; an error (no privilege, ...) keeps the ring buffer, whose
  // load then reports it.
  return libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, nullptr) == 0;
}

// Each CPU's perf buffer gets a quarter of the ring buffer's pages (a power of two, as perf
// wants): 64 for the default ring of 256 pages, bpftrace's default per CPU.
size_t perf_pages_per_cpu(uint32_t ring_bytes) {
  size_t pages = ring_bytes / kPageSize / 4;
  return pages ? pages : 1;
}

bool prepare_event_maps(bpf_object *obj, bool perf_buffer, size_t *perf_pages, std::string &error) {
  bpf_map *events = bpf_object__find_map_by_name(obj, BTC_RINGBUF_NAME);
  bpf_map *buffer = bpf_object__find_map_by_name(obj, BTC_EVENT_BUF_NAME);
  if (!events || !buffer) return true;  // an object without events
  if (!perf_buffer) {
    if (bpf_map__set_autocreate(buffer, false) == 0) return true;
    error = "cannot leave out the map " BTC_EVENT_BUF_NAME;
    return false;
  }
  *perf_pages = perf_pages_per_cpu(bpf_map__max_entries(events));
  int cpus = libbpf_num_possible_cpus();
  if (cpus <= 0 || bpf_map__set_type(events, BPF_MAP_TYPE_PERF_EVENT_ARRAY) ||
      bpf_map__set_key_size(events, sizeof(uint32_t)) || bpf_map__set_value_size(events, sizeof(uint32_t)) ||
      bpf_map__set_max_entries(events, static_cast<uint32_t>(cpus))) {
    error = "cannot set up the perf buffer map " BTC_RINGBUF_NAME;
    return false;
  }
  return true;
}

perf_buffer *open_event_perf_buffer(int map_fd, size_t pages, perf_buffer_event_fn on_record, void *ctx) {
  perf_event_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.size = sizeof(attr);
  attr.type = PERF_TYPE_SOFTWARE;
  attr.config = PERF_COUNT_SW_BPF_OUTPUT;
  attr.sample_period = 1;
  attr.sample_type = PERF_SAMPLE_TIME | PERF_SAMPLE_RAW;
  attr.use_clockid = 1;
  attr.clockid = CLOCK_MONOTONIC;
  attr.watermark = 1;
  attr.wakeup_watermark = static_cast<uint32_t>(pages * kPageSize / 4);
  return perf_buffer__new_raw(map_fd, pages, &attr, on_record, ctx, nullptr);
}

}  // namespace btc::rt
