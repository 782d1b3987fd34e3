// How event records travel from BPF to the tool: through the BPF ring buffer, or, on kernels
// without BPF_MAP_TYPE_RINGBUF (before 5.8), through a perf buffer (abi.h, BTC_EVENT_BUF_NAME).
// The same BPF object serves both: btc_params.perf_buffer selects the path at load time.
#ifndef BTC_RT_EVENT_TRANSPORT_H
#define BTC_RT_EVENT_TRANSPORT_H

#include <cstddef>
#include <string>

struct bpf_object;

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

}  // namespace btc::rt

#endif
