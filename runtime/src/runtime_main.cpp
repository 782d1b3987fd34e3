// btc_main(): the life of a generated tool, in order.
//
//   1. command line ($1.., --help, --version)
//   2. privilege and kernel BTF checks
//   3. open the embedded BPF object, fill btc_params, load (verifier errors
//      become one line pointing at the script)
//   4. run BEGIN, attach every other probe, print "Attached N probes"
//   5. event loop until exit(), a signal, or (BEGIN/END-only scripts) no
//      more events
//   6. detach, run END, drain its output, print every map like bpftrace
//   7. destructors free links, ring buffer and object on every path
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "attach.h"
#include "btc/abi.h"
#include "cli.h"
#include "diag.h"
#include "event_loop.h"
#include "libbpf_log.h"
#include "loader.h"
#include "map_printer.h"
#include "privilege.h"
#include "stdout_sink.h"
#include "stop_signals.h"

namespace btc::rt {

// bpf_ktime_get_ns() counts CLOCK_MONOTONIC.
static uint64_t monotonic_ns() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ULL + ts.tv_nsec;
}

// Runs the BEGIN or END programs, in script order.
static bool run_special_probes(const btc_tool &tool, const LoadedObject &object, uint32_t kind) {
  for (uint32_t i = 0; i < tool.nprobes; i++) {
    const btc_probe_desc &probe = tool.probes[i];
    if (probe.kind != kind) continue;
    bpf_program *prog = object.program(probe.prog_name);
    const char *what = kind == BTC_PROBE_BEGIN ? "BEGIN" : "END";
    if (!prog) {
      print_error(std::string("cannot run ") + what + ": the BPF object has no program '" + probe.prog_name + "'");
      return false;
    }
    LIBBPF_OPTS(bpf_test_run_opts, opts);
    if (bpf_prog_test_run_opts(bpf_program__fd(prog), &opts) != 0) {
      print_error(std::string("cannot run ") + what + ": " + strerror(errno));
      return false;
    }
  }
  return true;
}

static bool only_begin_end(const btc_tool &tool) {
  for (uint32_t i = 0; i < tool.nprobes; i++)
    if (tool.probes[i].kind != BTC_PROBE_BEGIN && tool.probes[i].kind != BTC_PROBE_END) return false;
  return true;
}

static bool find_maps(const btc_tool &tool, const LoadedObject &object, std::vector<MapHandle> &maps) {
  for (uint32_t i = 0; i < tool.nmaps; i++) {
    const btc_map_desc &desc = tool.maps[i];
    bpf_map *map = object.map(desc.bpf_name);
    if (!map) {
      print_error(std::string("the BPF object has no map '") + desc.bpf_name + "' for " + desc.name);
      return false;
    }
    maps.push_back(make_map_handle(desc, map));
  }
  return true;
}

// What bpftrace prints when it stops: two empty lines, then every map in
// name order (empty maps print nothing).
static void print_maps_at_exit(const std::vector<MapHandle> &maps) {
  write_stdout("\n\n");
  std::vector<const MapHandle *> sorted;
  for (const MapHandle &m : maps) sorted.push_back(&m);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const MapHandle *a, const MapHandle *b) { return strcmp(a->desc->name, b->desc->name) < 0; });
  for (const MapHandle *m : sorted) {
    std::string text, error;
    if (!render_map(*m, ViewOptions{}, text, error)) {
      print_error(error);
      continue;
    }
    write_stdout(text);
  }
  flush_stdout();
}

static int run_tool(const btc_tool &tool, const btc_params &params) {
  capture_libbpf_output();
  LoadedObject object;
  if (!object.load(tool, params)) return 1;

  std::vector<MapHandle> maps;
  if (!find_maps(tool, object, maps)) return 1;

  Links links;
  EventLoop loop(tool, maps, links);
  if (!loop.setup(object)) return 1;
  install_stop_signals();

  // bpftrace runs BEGIN before it attaches anything else.
  if (!run_special_probes(tool, object, BTC_PROBE_BEGIN)) return 1;
  if (!attach_all(tool, object, links)) return 1;

  flush_stdout();
  fprintf(stderr, "Attached %" PRIu32 " probe%s\n", tool.nprobes, tool.nprobes == 1 ? "" : "s");

  loop.run(only_begin_end(tool));
  links.destroy_all();
  if (stdout_broken()) return 0;

  if (!run_special_probes(tool, object, BTC_PROBE_END)) return 1;
  loop.drain_after_end();
  if (stdout_broken()) return 0;

  if (loop.total_lost_events() > 0)
    fprintf(stderr, "WARNING: Total lost event count: %" PRIu64 "\n", loop.total_lost_events());

  print_maps_at_exit(maps);
  return loop.exit_code();
}

static int main_with_tool(const btc_tool &tool, int argc, char **argv) {
  set_tool_name(tool.name);
  setup_stdout();

  CliResult cli = parse_cli(tool, argc, argv, stdout);
  if (!cli.run) {
    flush_stdout();
    return cli.exit_code;
  }

  btc_params params;
  memset(&params, 0, sizeof(params));
  std::string error;
  if (!fill_params(cli.options, params, error)) {
    print_error(error);
    return 1;
  }
  params.start_ns = monotonic_ns();
  params.self_pid = static_cast<uint64_t>(getpid());

  std::string problem = check_privileges();
  if (problem.empty()) problem = check_kernel_btf();
  if (!problem.empty()) {
    print_error(problem);
    return 1;
  }

  int code = run_tool(tool, params);
  flush_stdout();
  return code;
}

}  // namespace btc::rt

extern "C" int btc_main(const struct btc_tool *tool, int argc, char **argv) {
  return btc::rt::main_with_tool(*tool, argc, argv);
}
