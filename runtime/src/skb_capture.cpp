#include "skb_capture.h"

#include <bpf/libbpf.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "diag.h"
#include "event_transport.h"
#include "loader.h"
#include "time_format.h"

namespace btc::rt {

static const size_t kDefaultPages = 64;  // bpftrace's perf buffer pages per CPU

SkbCapture::~SkbCapture() {
  if (perf_) perf_buffer__free(perf_);
  for (void *f : files_) tool_.pcap_writer->close(f);
}

bool SkbCapture::setup(const LoadedObject &object) {
  bpf_map *map = object.map(BTC_SKB_EVENTS_NAME);
  if (!tool_.pcap_writer || !map) return true;
  // Like bpftrace, every file is created before the probes attach, once per path.
  for (uint32_t id = 0; id < tool_.nskb_outputs; id++) {
    uint32_t first = 0;
    while (strcmp(tool_.skb_outputs[first].path, tool_.skb_outputs[id].path) != 0) first++;
    if (first < id) {
      file_of_.push_back(file_of_[first]);
      continue;
    }
    void *f = tool_.pcap_writer->open(tool_.skb_outputs[id].path);
    if (!f) {
      print_error(std::string("cannot create the pcap file ") + tool_.skb_outputs[id].path + ": " + strerror(errno));
      return false;
    }
    files_.push_back(f);
    file_of_.push_back(f);
  }
  // As many pages per CPU as the event buffer's perf mode would take.
  bpf_map *events = object.map(BTC_RINGBUF_NAME);
  size_t pages = object.perf_buffer_pages();
  if (!pages) pages = events ? perf_pages_per_cpu(bpf_map__max_entries(events)) : kDefaultPages;
  perf_ = perf_buffer__new(bpf_map__fd(map), pages, on_sample, on_lost, this, nullptr);
  if (!perf_) {
    print_error(std::string("cannot set up the skboutput perf buffer: ") + strerror(errno));
    return false;
  }
  return true;
}

void SkbCapture::consume() {
  if (perf_) perf_buffer__consume(perf_);
}

void SkbCapture::on_sample(void *ctx, int, void *data, uint32_t size) {
  static_cast<SkbCapture *>(ctx)->write(static_cast<const uint8_t *>(data), size);
}

void SkbCapture::on_lost(void *ctx, int, unsigned long long count) {
  static_cast<SkbCapture *>(ctx)->output_.lost_events(count);
}

// A sample: the record, its len packet bytes, then the perf sample's padding (left out). The
// pcap gets the packet without its first `offset` bytes, nothing when that leaves none.
void SkbCapture::write(const uint8_t *data, size_t size) {
  btc_skb_record r;
  if (size < sizeof(r)) return;
  memcpy(&r, data, sizeof(r));
  if (r.id >= file_of_.size()) return;
  size_t len = std::min<size_t>(r.len, size - sizeof(r));
  uint64_t offset = tool_.skb_outputs[r.id].offset;
  if (offset >= len) return;
  tool_.pcap_writer->write(file_of_[r.id], boot_ns_to_realtime_ns(r.boot_ns), data + sizeof(r) + offset,
                           static_cast<uint32_t>(len - offset));
}

}  // namespace btc::rt
