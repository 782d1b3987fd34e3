// skboutput(): reads the packets bpf_skb_output sends through the btc_skb_events perf buffer
// (abi.h, btc_skb_record) and appends them to the script's pcap files, through the writer the
// tool links only when it calls skboutput (btc_tool.pcap_writer).
#ifndef BTC_RT_SKB_CAPTURE_H
#define BTC_RT_SKB_CAPTURE_H

#include <cstdint>
#include <vector>

#include "btc/abi.h"
#include "output.h"

struct perf_buffer;

namespace btc::rt {

class LoadedObject;

class SkbCapture {
 public:
  SkbCapture(const btc_tool &tool, Output &output) : tool_(tool), output_(output) {}
  SkbCapture(const SkbCapture &) = delete;
  SkbCapture &operator=(const SkbCapture &) = delete;
  ~SkbCapture();

  // Creates the pcap files and the perf buffer when the tool calls skboutput (else does
  // nothing). Prints an error and returns false on failure.
  bool setup(const LoadedObject &object);
  // Writes every packet queued now, without waiting.
  void consume();

 private:
  static void on_sample(void *ctx, int cpu, void *data, uint32_t size);
  static void on_lost(void *ctx, int cpu, unsigned long long count);
  void write(const uint8_t *data, size_t size);

  const btc_tool &tool_;
  Output &output_;
  perf_buffer *perf_ = nullptr;
  std::vector<void *> files_;    // per distinct path, in order of first use
  std::vector<void *> file_of_;  // per call id: its entry of files_
};

}  // namespace btc::rt

#endif
