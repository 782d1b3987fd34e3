// How event records travel from BPF to the tool: through the BPF ring buffer, or, on kernels
// without BPF_MAP_TYPE_RINGBUF (before 5.8), through a perf buffer (abi.h, BTC_EVENT_BUF_NAME).
// The same BPF object serves both: btc_params.perf_buffer selects the path at load time.
#ifndef BTC_RT_EVENT_TRANSPORT_H
#define BTC_RT_EVENT_TRANSPORT_H

#include <bpf/libbpf.h>

#include <cstddef>
#include <string>

namespace btc::rt {

// True when this kernel has no BPF ring buffer, or when the test hook BTC_FORCE_PERF_BUFFER=1
// asks for the perf-buffer path on one that has (README.md, Tests).
bool use_perf_buffer();

// Pages of each CPU's perf buffer in place of a ring buffer of ring_bytes: a quarter of its pages
// (a power of two, at least 1).
size_t perf_pages_per_cpu(uint32_t ring_bytes);

// Between open and load. Perf-buffer mode: btc_events becomes a BPF_MAP_TYPE_PERF_EVENT_ARRAY
// with a slot per possible CPU, and *perf_pages is the page count of each CPU's buffer.
// Ring-buffer mode: btc_event_buf is not created (only code the verifier drops refers to it).
// False with `error` when libbpf refuses.
bool prepare_event_maps(bpf_object *obj, bool perf_buffer, size_t *perf_pages, std::string &error);

// The reader of the perf buffer map `map_fd` with `pages` pages per CPU. Unlike libbpf's
// perf_buffer__new(), whose per-CPU events wake the reader for every record (an irq_work and a
// task wake-up, ~10 us of the traced task's time each), a CPU here wakes it only once a quarter
// of its buffer has filled up, so the reader must also consume on every poll timeout (the
// event loop does). Records carry their CLOCK_MONOTONIC time (PERF_SAMPLE_TIME before the raw
// data: perf_record_batch.h) so that the CPUs' records can be merged in order. `on_record` gets
// every record, samples and others, and must return LIBBPF_PERF_EVENT_CONT. Null with errno on
// failure.
perf_buffer *open_event_perf_buffer(int map_fd, size_t pages, perf_buffer_event_fn on_record, void *ctx);

}  // namespace btc::rt

#endif
