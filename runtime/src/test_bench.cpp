// btc_test_bench_functions: the tool's --test and --bench modes (see test_bench.h).
#include "test_bench.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "attach.h"
#include "diag.h"
#include "event_loop.h"
#include "libbpf_log.h"
#include "loader.h"
#include "map_reader.h"
#include "output.h"
#include "output_sink.h"
#include "test_report.h"

namespace btc::rt {

namespace {

// Passes everything on to the tool's output, counting the errors (errorf()) on the way: a test
// that reports one fails.
class CountingOutput : public Output {
 public:
  explicit CountingOutput(Output &out) : out_(out) {}
  uint64_t errors = 0;

  void printf(std::string_view text) override { out_.printf(text); }
  void diagnostic(bool is_error, std::string_view text, std::string_view source_loc,
                  std::string_view trailer) override {
    errors += is_error;
    out_.diagnostic(is_error, text, source_loc, trailer);
  }
  void map(const MapView &view) override { out_.map(view); }
  void value(std::string_view text, const Printable &value) override { out_.value(text, value); }
  void time(std::string_view text) override { out_.time(text); }
  void syscall(std::string_view text) override { out_.syscall(text); }
  void cat(std::string_view text) override { out_.cat(text); }
  void join(std::string_view text) override { out_.join(text); }
  void attached_probes(uint64_t count) override { out_.attached_probes(count); }
  void lost_events(uint64_t count) override { out_.lost_events(count); }
  void map_full(std::string_view map_name, std::string_view location) override { out_.map_full(map_name, location); }
  void end() override { out_.end(); }

 private:
  Output &out_;
};

// Collects what the tool writes to stdout and stderr (both, in order) while a test or bench
// runs: the file descriptors point at an in-memory file meanwhile. (Output written to a file
// with -o is not collected.)
class OutputCapture {
 public:
  OutputCapture() {
    flush_output();
    fflush(stderr);
    fd_ = memfd_create("btc-capture", MFD_CLOEXEC);
    if (fd_ < 0) return;
    saved_out_ = dup(STDOUT_FILENO);
    saved_err_ = dup(STDERR_FILENO);
    dup2(fd_, STDOUT_FILENO);
    dup2(fd_, STDERR_FILENO);
  }
  OutputCapture(const OutputCapture &) = delete;
  OutputCapture &operator=(const OutputCapture &) = delete;
  ~OutputCapture() { finish(); }

  // Puts stdout and stderr back; returns what was written meanwhile.
  std::string finish() {
    if (fd_ < 0) return "";
    flush_output();
    fflush(stderr);
    dup2(saved_out_, STDOUT_FILENO);
    dup2(saved_err_, STDERR_FILENO);
    close(saved_out_);
    close(saved_err_);
    std::string text;
    char buf[4096];
    ssize_t n;
    for (off_t at = 0; (n = pread(fd_, buf, sizeof(buf), at)) > 0; at += n) text.append(buf, static_cast<size_t>(n));
    close(fd_);
    fd_ = -1;
    return text;
  }

 private:
  int fd_ = -1, saved_out_ = -1, saved_err_ = -1;
};

// One BPF_PROG_TEST_RUN of an XDP program, `repeat` times. An XDP run needs an Ethernet
// header's worth of packet data, as in bpftrace.
struct TestRunResult {
  bool ok = false;
  uint32_t retval = 0;
  uint64_t average_ns = 0;
};

TestRunResult test_run(const LoadedObject &object, const btc_probe_desc &probe, uint32_t repeat) {
  TestRunResult r;
  bpf_program *prog = object.program(probe.prog_name);
  if (!prog) {
    print_error(std::string("the BPF object has no program '") + probe.prog_name + "'");
    return r;
  }
  char packet[14] = {};
  LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = packet, .data_size_in = sizeof(packet),
              .repeat = static_cast<int>(repeat));
  if (bpf_prog_test_run_opts(bpf_program__fd(prog), &opts) != 0) {
    print_error(std::string("cannot run ") + probe.spec + ": " + strerror(errno));
    return r;
  }
  r.ok = true;
  r.retval = opts.retval;
  r.average_ns = opts.duration;
  return r;
}

// BEGIN or END, in script order.
bool run_special(const btc_tool &tool, const LoadedObject &object, uint32_t kind) {
  for (uint32_t i = 0; i < tool.nprobes; i++) {
    if (tool.probes[i].kind != kind) continue;
    bpf_program *prog = object.program(tool.probes[i].prog_name);
    LIBBPF_OPTS(bpf_test_run_opts, opts);
    if (!prog || bpf_prog_test_run_opts(bpf_program__fd(prog), &opts) != 0) {
      print_error(std::string("cannot run ") + tool.probes[i].spec + ": " + strerror(errno));
      return false;
    }
  }
  return true;
}

std::vector<const btc_probe_desc *> probes_of(const btc_tool &tool, uint32_t kind) {
  std::vector<const btc_probe_desc *> out;
  for (uint32_t i = 0; i < tool.nprobes; i++)
    if (tool.probes[i].kind == kind) out.push_back(&tool.probes[i]);
  return out;
}

std::vector<std::string> names_of(const std::vector<const btc_probe_desc *> &probes) {
  std::vector<std::string> names;
  for (const btc_probe_desc *p : probes) names.push_back(p->target ? p->target : "");
  return names;
}

// The events a run queued, handled now; the exit() code they carried (0 without one), after
// which the loop takes events again.
int drain(EventLoop &loop) {
  loop.run(true, [] { return false; });
  return loop.take_exit_code();
}

int run_tests(const btc_tool &tool, const LoadedObject &object, EventLoop &loop, CountingOutput &output) {
  auto tests = probes_of(tool, BTC_PROBE_TEST);
  std::vector<std::string> names = names_of(tests);
  std::vector<bool> passed;
  int code = 0;
  for (size_t i = 0; i < tests.size(); i++) {
    OutputCapture capture;
    uint64_t errors_before = output.errors;
    TestRunResult r = test_run(object, *tests[i], 1);
    int exit_code = drain(loop);
    std::string text = capture.finish();
    if (!r.ok) return 1;
    passed.push_back(r.retval == 0 && exit_code == 0 && output.errors == errors_before);
    if (!passed.back()) code = 1;
    write_output(test_result_text(names, i, r.average_ns, passed, text));
  }
  return code;
}

// Runs the bench with more and more repeats until they take at least a millisecond together
// (bpftrace's steps). False when it failed (exit() with a code, or an error).
bool measure(const LoadedObject &object, EventLoop &loop, CountingOutput &output, const btc_probe_desc &bench,
             TestRunResult *result, uint64_t *iterations, bool *skipped) {
  uint64_t iters = 1;
  while (true) {
    OutputCapture discarded;  // a bench's output is never shown
    uint64_t errors_before = output.errors;
    *result = test_run(object, bench, static_cast<uint32_t>(iters));
    int exit_code = drain(loop);
    discarded.finish();
    if (!result->ok) return false;
    if (exit_code == 0 && result->retval != 0) {  // it skipped itself
      *skipped = true;
      return true;
    }
    uint64_t total = result->average_ns * iters;
    if (total < 1000) {
      iters *= 1000;
    } else if (total < 10000) {
      iters *= 100;
    } else if (total < 100000) {
      iters *= 10;
    } else if (total < 1000000) {
      iters *= 2;
    } else {
      *iterations = iters;
      return exit_code == 0 && output.errors == errors_before;
    }
  }
}

int run_benchmarks(const btc_tool &tool, const LoadedObject &object, EventLoop &loop, CountingOutput &output) {
  auto benches = probes_of(tool, BTC_PROBE_BENCH);
  std::vector<std::string> names = names_of(benches);
  int code = 0;
  for (size_t i = 0; i < benches.size(); i++) {
    TestRunResult r;
    uint64_t iterations = 0;
    bool skipped = false;
    if (!measure(object, loop, output, *benches[i], &r, &iterations, &skipped)) {
      if (!r.ok) return 1;
      log_error("Benchmark '" + names[i] + "' failed.");
      code = 1;
      continue;
    }
    if (!skipped) write_output(bench_result_text(names, i, r.average_ns, iterations));
  }
  return code;
}

bool find_maps(const btc_tool &tool, const LoadedObject &object, std::vector<MapHandle> &maps) {
  for (uint32_t i = 0; i < tool.nmaps; i++) {
    bpf_map *map = object.map(tool.maps[i].bpf_name);
    if (!map) {
      print_error(std::string("the BPF object has no map '") + tool.maps[i].bpf_name + "'");
      return false;
    }
    maps.push_back(make_map_handle(tool.maps[i], map));
  }
  return true;
}

void report_unattached(const btc_tool *tool) {
  bool tests = !probes_of(*tool, BTC_PROBE_TEST).empty();
  log_error(tests ? "No probes attached; use --test to run test probes."
                  : "No probes attached; use --bench to run benchmark probes.");
}

int run_mode(const btc_tool *tool_ptr, void *run_ptr, uint32_t mode) {
  const btc_tool &tool = *tool_ptr;
  const TestBenchRun &run = *static_cast<const TestBenchRun *>(run_ptr);
  capture_libbpf_output();
  LoadedObject object;
  if (!object.load(tool, *run.params)) return 1;
  std::vector<MapHandle> maps;
  if (!find_maps(tool, object, maps)) return 1;

  std::unique_ptr<Output> base = make_output(run.options->format);
  CountingOutput output(*base);
  Links links;
  EventLoop loop(tool, maps, links, output);
  if (!loop.setup(object)) return 1;

  uint32_t kind = mode == BTC_RUN_TESTS ? BTC_PROBE_TEST : BTC_PROBE_BENCH;
  if (probes_of(tool, kind).empty() && probes_of(tool, BTC_PROBE_BEGIN).empty() &&
      probes_of(tool, BTC_PROBE_END).empty()) {
    report_unattached(&tool);  // nothing would run
    return 1;
  }
  // BEGIN's output is handled with the first test's, as bpftrace does.
  if (!run_special(tool, object, BTC_PROBE_BEGIN)) return 1;
  int code = mode == BTC_RUN_TESTS ? run_tests(tool, object, loop, output) : run_benchmarks(tool, object, loop, output);
  drain(loop);
  if (!run_special(tool, object, BTC_PROBE_END)) return 1;
  loop.drain_after_end();
  output.end();
  flush_output();
  return code;
}

}  // namespace

}  // namespace btc::rt

extern "C" const btc_test_bench btc_test_bench_functions = {btc::rt::run_mode, btc::rt::report_unattached};
