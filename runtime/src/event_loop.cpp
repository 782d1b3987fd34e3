#include "event_loop.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "attach.h"
#include "diag.h"
#include "field_decode.h"
#include "loader.h"
#include "map_printer.h"
#include "output_sink.h"
#include "stop_signals.h"
#include "time_format.h"
#include "user_actions.h"

namespace btc::rt {

static const int kPollTimeoutMs = 100;
// Perf-buffer mode: a CPU's buffer wakes the reader only when a quarter full (event_transport.h),
// so what trickles in (and exit()) is read on the poll timeout: a shorter one keeps that prompt,
// for ~100 cheap wake-ups a second.
static const int kPerfPollTimeoutMs = 10;
static const uint64_t kStopDrainNs = 200 * 1000000ULL;

static uint64_t monotonic_ns() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ULL + static_cast<uint64_t>(ts.tv_nsec);
}
static const long kBatchPauseNs = 500 * 1000;

// The kernel wakes a reader only for a record that lands in an empty ring
// buffer, and that wake-up (irq_work plus a task wake-up) costs the traced
// task more than the rest of a printf() event together. Pausing briefly
// after a busy poll lets records pile up, so a flood costs one wake-up per
// pause instead of one per event; an idle tool still reacts to the first
// event at once.
static void let_events_accumulate() {
  struct timespec pause = {0, kBatchPauseNs};
  nanosleep(&pause, nullptr);
}

EventLoop::EventLoop(const btc_tool &tool, const std::vector<MapHandle> &maps, Links &links, Output &output)
    : tool_(tool),
      maps_(maps),
      links_(links),
      output_(output),
      warned_full_(maps.size(), false),
      skb_capture_(tool, output) {
  for (uint32_t i = 0; i < tool.nprintfs; i++) formats_.push_back(parse_format(tool.printfs[i].fmt));
  set_field_strings(tool.strings, tool.nstrings);
  set_cgroup_path_lookup(tool.cgroup_path_functions);
  set_truncation_trailer(tool.str_trunc_trailer);
  set_field_tuples(tool.tuples, tool.ntuples);
}

EventLoop::~EventLoop() {
  if (ring_) ring_buffer__free(ring_);
  if (perf_) perf_buffer__free(perf_);
}

// Offset of the global `name` in the object's .bss, from its BTF.
static bool find_bss_variable(bpf_object *obj, const char *name, uint32_t &offset) {
  const btf *types = bpf_object__btf(obj);
  if (!types) return false;
  int id = btf__find_by_name_kind(types, ".bss", BTF_KIND_DATASEC);
  if (id < 0) return false;
  const btf_type *sec = btf__type_by_id(types, id);
  const btf_var_secinfo *vars = btf_var_secinfos(sec);
  for (int i = 0; i < btf_vlen(sec); i++) {
    const btf_type *var = btf__type_by_id(types, vars[i].type);
    const char *var_name = var ? btf__name_by_offset(types, var->name_off) : nullptr;
    if (var_name && strcmp(var_name, name) == 0) {
      offset = vars[i].offset;
      return true;
    }
  }
  return false;
}

bool EventLoop::setup(const LoadedObject &object) {
  bpf_map *ring_map = object.map(BTC_RINGBUF_NAME);
  if (ring_map && object.perf_buffer_pages()) {
    // Lost-sample records are ignored: BPF counts every failed output (btc_submit in btc_bpf.h)
    // at once, while the kernel reports a full buffer's losses only with that CPU's next record.
    perf_ = open_event_perf_buffer(bpf_map__fd(ring_map), object.perf_buffer_pages(), on_perf_record, this);
    if (!perf_) {
      print_error(std::string("cannot set up the event perf buffer: ") + strerror(errno));
      return false;
    }
  } else if (ring_map) {
    ring_ = ring_buffer__new(bpf_map__fd(ring_map), on_record, this, nullptr);
    if (!ring_) {
      print_error(std::string("cannot set up the event ring buffer: ") + strerror(errno));
      return false;
    }
  }
  if (!skb_capture_.setup(object)) return false;
  bpf_map *bss = object.map(".bss");
  if (bss && find_bss_variable(object.get(), BTC_LOST_VAR_NAME, lost_offset_)) {
    bss_fd_ = bpf_map__fd(bss);
    bss_size_ = bpf_map__value_size(bss);
    has_lost_counter_ = lost_offset_ + sizeof(uint64_t) <= bss_size_;
  }
  return true;
}

uint64_t EventLoop::read_lost_counter() const {
  if (!has_lost_counter_) return 0;
  std::vector<uint8_t> value(bss_size_);
  uint32_t zero = 0;
  if (bpf_map_lookup_elem(bss_fd_, &zero, value.data()) != 0) return lost_seen_;
  uint64_t lost;
  memcpy(&lost, value.data() + lost_offset_, sizeof(lost));
  return lost;
}

void EventLoop::report_lost_events() {
  uint64_t lost = read_lost_counter();
  if (lost <= lost_seen_) return;
  output_.lost_events(lost - lost_seen_);
  lost_seen_ = lost;
}

// Waits up to timeout_ms for events and handles them; returns what the ring buffer poll returns,
// or in perf-buffer mode the number of records handled (a negative errno on failure). Without
// either, just waits.
int EventLoop::poll_events(int timeout_ms) {
  int n = 0;
  if (ring_) {
    n = ring_buffer__poll(ring_, timeout_ms);
  } else if (perf_) {
    // A CPU wakes the reader only once its buffer is a quarter full (event_transport.h), so every
    // buffer is read after each wait: a few records show up within timeout_ms all the same.
    n = perf_buffer__poll(perf_, timeout_ms);
    if (n >= 0) n = consume_perf_buffer();
  } else {
    struct timespec wait = {0, timeout_ms * 1000000L};
    nanosleep(&wait, nullptr);
  }
  skb_capture_.consume();  // skboutput() packets wait at most one poll
  return n;
}

// Handles every event queued now, without waiting.
void EventLoop::consume_events() {
  if (ring_) ring_buffer__consume(ring_);
  if (perf_) consume_perf_buffer();
  skb_capture_.consume();
}

// Reads every CPU's perf buffer, then handles what it holds (and what the poll before read) in
// the order it was written; returns the number of records.
int EventLoop::consume_perf_buffer() {
  perf_buffer__consume(perf_);
  int n = static_cast<int>(perf_batch_.size());
  perf_batch_.drain([this](const uint8_t *data, uint32_t size) { handle(data, size); });
  return n;
}

void EventLoop::run(bool drain_only, const std::function<bool()> &should_end) {
  if (drain_only) {
    consume_events();
    report_lost_events();
    flush_output();
    return;
  }
  while (!stop_requested() && !finalizing_ && !should_end()) {
    if (!flush_output_before_wait()) return;
    report_lost_events();
    int n = poll_events(perf_ ? kPerfPollTimeoutMs : kPollTimeoutMs);
    if (n < 0 && n != -EINTR) {
      print_error(std::string("reading the event ring buffer failed: ") + strerror(-n));
      return;
    }
    if (n > 0) let_events_accumulate();
  }
  // After exit(), whatever the probes queued before they were detached is
  // dropped here, so that only END's output follows.
  if (finalizing_) consume_events();
  flush_output();
}

void EventLoop::drain_after_end() {
  finalizing_ = false;
  clear_stop_request();
  consume_events();
  report_lost_events();
  flush_output();
}

int EventLoop::on_record(void *ctx, void *data, size_t size) {
  static_cast<EventLoop *>(ctx)->handle(static_cast<const uint8_t *>(data), size);
  return 0;
}

// A perf buffer record: kept until every CPU's buffer has been read (consume_perf_buffer). A
// sample's data is the event record followed by up to 7 bytes of padding (size is rounded up).
bpf_perf_event_ret EventLoop::on_perf_record(void *ctx, int, perf_event_header *record) {
  static_cast<EventLoop *>(ctx)->perf_batch_.add(record);
  return LIBBPF_PERF_EVENT_CONT;
}

// exit(): like bpftrace, detach at once and ignore whatever is still queued.
void EventLoop::finalize() {
  finalizing_ = true;
  links_.destroy_all();
}

void EventLoop::handle(const uint8_t *data, size_t size) {
  if (finalizing_ || size < sizeof(btc_event_hdr) || output_broken()) return;
  // A stop signal detaches the probes at once, but what they produced before
  // is still printed (bpftrace drops it, which makes output depend on timing),
  // for kStopDrainNs at most: a backlog of slow events must not hold up the exit.
  if (stop_requested()) {
    if (stop_seen_ns_ == 0) {
      links_.destroy_all();  // detaching uprobes can take longer than the whole drain window
      stop_seen_ns_ = monotonic_ns();
    } else if (monotonic_ns() - stop_seen_ns_ > kStopDrainNs) {
      return;
    }
  }
  btc_event_hdr hdr;
  memcpy(&hdr, data, sizeof(hdr));
  const uint8_t *payload = data + sizeof(hdr);
  size_t payload_size = size - sizeof(hdr);

  switch (hdr.kind) {
    case BTC_EV_PRINTF:
      print_event(hdr.id, payload, payload_size);
      break;
    case BTC_EV_EXIT:
      exit_code_ = static_cast<int>(hdr.id);
      finalize();
      break;
    case BTC_EV_PRINT_MAP:
      print_map_event(hdr.id, payload, payload_size);
      break;
    case BTC_EV_CLEAR_MAP:
    case BTC_EV_ZERO_MAP:
      map_event(hdr.kind, hdr.id);
      break;
    case BTC_EV_MAP_FULL:
      map_full_event(hdr.id);
      break;
    default:
      break;
  }
}

// The value of a print(x) entry: x itself, a tuple of x's elements, or a record (named fields).
static Printable print_value(const btc_printf_desc &desc, std::vector<Printable> args) {
  if (desc.arg_names) {
    std::vector<std::string> names(desc.arg_names, desc.arg_names + desc.nargs);
    return Printable::record(std::move(names), std::move(args));
  }
  if (args.empty()) return Printable::none();
  if (args.size() == 1) return std::move(args[0]);
  return Printable::tuple(std::move(args));
}

void EventLoop::print_event(uint32_t id, const uint8_t *payload, size_t size) {
  if (id >= tool_.nprintfs) return;
  const btc_printf_desc &desc = tool_.printfs[id];
  std::vector<Printable> args;
  for (uint32_t i = 0; i < desc.nargs; i++) {
    const btc_field &f = desc.args[i];
    if (static_cast<size_t>(f.offset) + f.size > size)
      args.push_back(Printable::none());
    else
      args.push_back(decode_field(f, payload));
  }
  switch (desc.severity) {
    case BTC_SEV_PRINTF:
      output_.printf(format_printf(formats_[id], args));
      break;
    case BTC_SEV_PRINT:
      output_.value(format_printf(formats_[id], args), print_value(desc, args));
      break;
    case BTC_SEV_TIME:  // the format is a strftime format of the time the event is handled
      output_.time(format_timestamp(desc.fmt, boot_ns_to_realtime_ns(boot_clock_ns())));
      break;
    case BTC_SEV_SYSTEM:
    case BTC_SEV_CAT:
    case BTC_SEV_JOIN:
      run_user_action(desc, format_printf(formats_[id], args), payload, size);
      break;
    default:
      output_.diagnostic(desc.severity == BTC_SEV_ERRORF, format_printf(formats_[id], args),
                         desc.source_loc ? desc.source_loc : "", desc.trailer ? desc.trailer : "");
      break;
  }
}

// system(), cat() and join(): `text` is the formatted command or path.
void EventLoop::run_user_action(const btc_printf_desc &desc, const std::string &text, const uint8_t *payload,
                                size_t size) {
  std::string result, error;
  if (desc.severity == BTC_SEV_JOIN) {
    output_.join(join_strings(desc, payload, size));
  } else if (desc.severity == BTC_SEV_SYSTEM) {
    if (run_shell_command(text, &result, &error))
      output_.syscall(result);
    else
      print_action_error(error);
  } else if (read_file_head(text, tool_.max_cat_bytes ? tool_.max_cat_bytes : kMaxCatBytes, &result, &error)) {
    output_.cat(result);
  } else {
    print_action_error(error);
  }
}

// print(@m[, top[, div]]): the payload may carry u64 top and u64 div.
void EventLoop::print_map_event(uint32_t id, const uint8_t *payload, size_t size) {
  if (id >= maps_.size()) return;
  ViewOptions options;
  options.zero_if_empty = true;
  if (size >= 2 * sizeof(uint64_t)) {
    memcpy(&options.top, payload, sizeof(uint64_t));
    memcpy(&options.div, payload + sizeof(uint64_t), sizeof(uint64_t));
  }
  MapView view;
  std::string error;
  if (!read_map_view(maps_[id], options, view, error)) {
    print_error(error);
    return;
  }
  output_.map(view);
}

void EventLoop::map_event(uint32_t kind, uint32_t id) {
  if (id >= maps_.size()) return;
  std::string error;
  bool ok = kind == BTC_EV_CLEAR_MAP ? clear_map(maps_[id], error) : zero_map(maps_[id], error);
  if (!ok) print_error(error);
}

// bpftrace warns every time an update fails; once per map says the same
// without flooding stderr. The tool keeps running.
// "file.bt" from a probe's "file.bt:LINE:COL".
static std::string script_file(const btc_tool &tool) {
  for (uint32_t i = 0; i < tool.nprobes; i++) {
    std::string loc = tool.probes[i].source_loc ? tool.probes[i].source_loc : "";
    size_t col = loc.rfind(':');
    size_t line = col == std::string::npos || col == 0 ? std::string::npos : loc.rfind(':', col - 1);
    if (line != std::string::npos) return loc.substr(0, line);
  }
  return "";
}

[[gnu::cold]] void EventLoop::map_full_event(uint32_t id) {
  uint32_t index = id & ((1u << BTC_MAP_FULL_LINE_SHIFT) - 1), line = id >> BTC_MAP_FULL_LINE_SHIFT;
  if (index >= maps_.size() || warned_full_[index]) return;
  warned_full_[index] = true;
  std::string file = script_file(tool_);
  output_.map_full(tool_.maps[index].name, line && !file.empty() ? file + ":" + std::to_string(line) : "");
}

}  // namespace btc::rt
