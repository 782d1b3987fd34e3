// The event loop: reads the ring buffer (or the perf buffer that replaces it on
// kernels without one, event_transport.h), prints printf() output, handles
// exit(), print(), clear() and zero() requests, warns once per map that
// fills up, and reports lost events.
#ifndef BTC_RT_EVENT_LOOP_H
#define BTC_RT_EVENT_LOOP_H

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "btc/abi.h"
#include "event_transport.h"
#include "map_reader.h"
#include "output.h"
#include "perf_record_batch.h"
#include "printf_format.h"
#include "skb_capture.h"

struct ring_buffer;
struct perf_buffer;

namespace btc::rt {

class Links;
class LoadedObject;

class EventLoop {
 public:
  // `maps` is indexed like tool.maps; `links` are destroyed on exit().
  EventLoop(const btc_tool &tool, const std::vector<MapHandle> &maps, Links &links, Output &output);
  EventLoop(const EventLoop &) = delete;
  EventLoop &operator=(const EventLoop &) = delete;
  ~EventLoop();

  // Sets up the ring buffer, the lost-event counter and skboutput's pcap files (all optional
  // in the object). Prints an error and returns false on failure.
  bool setup(const LoadedObject &object);

  // Handles events until a stop signal, exit(), a broken output, or
  // `should_end` (checked between polls: -d, the -c child or -p process
  // exiting) returns true. With drain_only (a script with only BEGIN/END
  // probes) it handles what is queued and returns.
  void run(bool drain_only, const std::function<bool()> &should_end);

  // After END ran: events are handled again, and everything queued is.
  void drain_after_end();

  // Reports the events lost since the last report ("Lost N events").
  void report_lost_events();
  uint64_t total_lost_events() const { return lost_seen_; }
  int exit_code() const { return exit_code_; }
  // --test and --bench: the exit() code of the probe run just drained (0 without one); events
  // are taken again for the next run.
  int take_exit_code() {
    int code = exit_code_;
    exit_code_ = 0;
    finalizing_ = false;
    return code;
  }

 private:
  static int on_record(void *ctx, void *data, size_t size);
  static bpf_perf_event_ret on_perf_record(void *ctx, int cpu, perf_event_header *record);
  int poll_events(int timeout_ms);
  void consume_events();
  int consume_perf_buffer();
  void handle(const uint8_t *data, size_t size);
  void print_event(uint32_t id, const uint8_t *payload, size_t size);
  void run_user_action(const btc_printf_desc &desc, const std::string &text, const uint8_t *payload, size_t size);
  void print_map_event(uint32_t id, const uint8_t *payload, size_t size);
  void map_event(uint32_t kind, uint32_t id);
  void map_full_event(uint32_t id);
  void finalize();
  uint64_t read_lost_counter() const;

  const btc_tool &tool_;
  const std::vector<MapHandle> &maps_;
  Links &links_;
  Output &output_;
  std::vector<ParsedFormat> formats_;
  std::vector<bool> warned_full_;  // per map: the map-full warning was printed
  ring_buffer *ring_ = nullptr;
  perf_buffer *perf_ = nullptr;  // instead of ring_ in perf-buffer mode
  SkbCapture skb_capture_;       // skboutput() packets, written to pcap files
  PerfRecordBatch perf_batch_;   // what one read of perf_ returned, merged in time order

  int bss_fd_ = -1;
  uint32_t bss_size_ = 0;
  uint32_t lost_offset_ = 0;
  bool has_lost_counter_ = false;
  uint64_t lost_seen_ = 0;

  bool finalizing_ = false;  // after exit(): further events are ignored
  // When a stop signal was first seen (CLOCK_MONOTONIC ns, 0: not yet): events queued before it
  // are still handled for kStopDrainNs, then dropped, so that Ctrl-C ends the tool promptly even
  // under a backlog of slow events such as system().
  uint64_t stop_seen_ns_ = 0;
  int exit_code_ = 0;
};

}  // namespace btc::rt

#endif
