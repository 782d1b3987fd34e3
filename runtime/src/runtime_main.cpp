// btc_main(): the life of a generated tool, in order.
//
//   1. command line ($1.., --name=VALUE, options; --help, --version), output
//      (-o FILE, -f text|json, -B MODE)
//   2. privilege and kernel BTF checks; -p: the process must exist; -c: fork
//      the child, which waits
//   3. open the embedded BPF object, fill btc_params (cpid, filter_pid,
//      parameters), load (verifier errors become one line pointing at the
//      script); --check stops here with its report
//   4. run BEGIN, attach every other probe and park their perf events
//      (perf_park.h), release the -c child, print "Attached N probes" (not with -q)
//   5. event loop until exit(), a signal, -d's deadline, the -c child or -p
//      process exiting, or (BEGIN/END-only scripts) no more events
//   6. detach, run END, drain its output, print every map like bpftrace
//   7. destructors free links, ring buffer and object on every path and end
//      a -c child that still runs
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>

#include "attach.h"
#include "btc/abi.h"
#include "child_process.h"
#include "cli.h"
#include "demangle.h"
#include "diag.h"
#include "dw_unwind.h"
#include "event_loop.h"
#include "host_facts.h"
#include "libbpf_log.h"
#include "loader.h"
#include "map_printer.h"
#include "output.h"
#include "output_sink.h"
#include "positional_tables.h"
#include "privilege.h"
#include "probe_check.h"
#include "signal_probes.h"
#include "stack_format.h"
#include "stop_signals.h"
#include "target_process.h"
#include "test_bench.h"
#include "tseries.h"
#include "user_symbols.h"

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

// Tools whose probes all run to completion by themselves (BEGIN/END, iterators) drain their
// events and end without waiting, as bpftrace does.
static bool only_begin_end(const btc_tool &tool) {
  for (uint32_t i = 0; i < tool.nprobes; i++) {
    uint32_t k = tool.probes[i].kind;
    if (k != BTC_PROBE_BEGIN && k != BTC_PROBE_END && k != BTC_PROBE_ITER && k != BTC_PROBE_TEST &&
        k != BTC_PROBE_BENCH)  // (test: and bench: probes are not attached: they run only with --test / --bench)
      return false;
  }
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

// What bpftrace prints when it stops: the end of the output (two empty lines
// in text), then every map in name order (empty maps print nothing).
static void print_maps_at_exit(const btc_tool &tool, const std::vector<MapHandle> &maps, Output &output) {
  output.end();
  if (tool.no_print_maps) {
    flush_output();
    return;
  }
  std::vector<const MapHandle *> sorted;
  for (const MapHandle &m : maps) sorted.push_back(&m);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const MapHandle *a, const MapHandle *b) { return strcmp(a->desc->name, b->desc->name) < 0; });
  for (const MapHandle *m : sorted) {
    MapView view;
    std::string error;
    if (!read_map_view(*m, ViewOptions{}, view, error)) {
      print_error(error);
      continue;
    }
    output.map(view);
  }
  flush_output();
}

// The processes and the clock that end a run besides exit() and signals.
struct RunLimits {
  ChildProcess *child = nullptr;    // -c
  TargetProcess *target = nullptr;  // -p
  double duration_s = 0;            // -d
  uint64_t deadline_ns = 0;

  void start() {
    if (duration_s > 0) deadline_ns = monotonic_ns() + static_cast<uint64_t>(duration_s * 1e9);
  }
  bool reached() const {
    if (deadline_ns && monotonic_ns() >= deadline_ns) return true;
    if (child && child->exited()) return true;
    return target && target->exited();
  }
};

static int run_tool(const btc_tool &tool, const btc_params &params, const CliOptions &options, RunLimits &limits) {
  capture_libbpf_output();
  LoadedObject object;
  if (!object.load(tool, params)) return 1;

  std::vector<MapHandle> maps;
  if (!find_maps(tool, object, maps)) return 1;
  if (bpf_map *stacks = object.map(BTC_STACKS_MAP_NAME)) set_stack_map(bpf_map__fd(stacks));
  if (bpf_map *stacks = object.map(BTC_BUILD_ID_STACKS_MAP_NAME))
    set_build_id_stacks(bpf_map__fd(stacks), tool.build_id_stacks);

  // dw_ustack: the target's unwind tables, before anything attaches (a -c child runs to its entry point).
  if (tool.dw_unwind && !tool.dw_unwind->start(object.get(), options, limits.child)) return 1;

  std::unique_ptr<Output> output = make_output(options.format);
  Links links;
  EventLoop loop(tool, maps, links, *output);
  if (!loop.setup(object)) return 1;
  install_stop_signals();

  // bpftrace runs BEGIN before it attaches anything else.
  if (!run_special_probes(tool, object, BTC_PROBE_BEGIN)) return 1;
  uint32_t attached = 0;
  if (!attach_all(tool, object, links, &attached)) return 1;
  links.park_perf_events();

  std::string error;
  if (limits.child && !limits.child->run(error)) {
    print_error(error);
    return 1;
  }
  // Before "Attached": whoever waits for that message may signal the tool at once.
  install_signal_probes(tool);
  if (!options.quiet) output->attached_probes(attached);
  flush_output();
  limits.start();

  loop.run(only_begin_end(tool), [&] {
    run_pending_signal_probes(tool, object);
    return limits.reached();
  });
  enter_shutdown();
  links.destroy_all();
  if (output_broken()) return 0;

  if (!run_special_probes(tool, object, BTC_PROBE_END)) return 1;
  loop.drain_after_end();
  if (output_broken()) return 0;

  if (loop.total_lost_events() > 0) {
    flush_output();
    fprintf(stderr, "WARNING: Total lost event count: %" PRIu64 "\n", loop.total_lost_events());
  }

  print_maps_at_exit(tool, maps, *output);
  return loop.exit_code();
}

// Parameters, -p and -c go into btc_params before the object is loaded; table entries that name a
// positional parameter get its value (resolved).
static bool prepare_params(const btc_tool &tool, const CliOptions &options, btc_params &params, ResolvedTool &resolved,
                           RunLimits &limits, ChildProcess &child, TargetProcess &target) {
  memset(&params, 0, sizeof(params));
  std::string error;
  if (!fill_params(options, params, error) || !check_int_params(tool, options, error)) {
    print_error(error);
    return false;
  }
  for (const std::string &n : empty_int_params(tool, options))
    print_warning("Positional parameter " + n + " is empty or not provided.");
  if (tool.reads_cpid && options.command.empty()) print_warning("No child command (`-c`); cpid is zero");
  if (!fill_named_params(tool, options, params, error)) {
    log_error(error);  // bpftrace's words
    return false;
  }
  params.start_ns = monotonic_ns();
  params.self_pid = static_cast<uint64_t>(getpid());
  uint32_t missing_ksym = 0;
  if (!fill_host_facts(tool, params, error, missing_ksym)) {
    print_script_error(tool.ksym_sources && missing_ksym < tool.nksyms ? &tool.ksym_sources[missing_ksym] : nullptr, error);
    return false;
  }
  if (!resolve_positional_tables(tool, params, resolved, error)) {
    print_error(error);
    return false;
  }
  if (options.pid) {
    if (!target.open(static_cast<pid_t>(*options.pid), error)) {
      print_error(error);
      return false;
    }
    params.filter_pid = *options.pid;
    set_target_pid(static_cast<int>(*options.pid));
    set_path_seen_by(tool.path_seen_by);
    limits.target = &target;
  }
  if (!options.command.empty() && !options.check) {
    if (!child.spawn(options.command, error)) {
      print_error(error);
      return false;
    }
    params.cpid = static_cast<uint64_t>(child.pid());
    set_child_pid(child.pid());
    std::vector<std::string> argv = split_command(options.command);
    if (!argv.empty()) set_child_executable(find_executable(argv[0]));
    limits.child = &child;
  }
  limits.duration_s = options.duration_s;
  return true;
}

static int main_with_tool(const btc_tool &tool, int argc, char **argv) {
  set_tool_name(tool.name);
  set_demangler(tool.demangle);
  set_tseries_formatting(tool.tseries);
  set_source_locator(tool.source_line);

  CliResult cli = parse_cli(tool, argc, argv, stdout);
  if (!cli.run) {
    fflush(stdout);
    return cli.exit_code;
  }
  const CliOptions &options = cli.options;
  if (tool.user_symbol_cache) tool.user_symbol_cache->setup(tool, !options.command.empty());
  std::string error;
  if (!open_output(options.check ? "" : options.output_path, options.buffer, error)) {
    print_error(error);
    return 1;
  }

  std::string problem = check_privileges();
  if (problem.empty()) problem = check_kernel_btf();
  if (!problem.empty()) {
    print_error(problem);
    return 1;
  }

  btc_params params;
  RunLimits limits;
  ChildProcess child;
  TargetProcess target;
  ResolvedTool resolved;
  if (!prepare_params(tool, options, params, resolved, limits, child, target)) return 1;

  TestBenchRun test_bench_run{&params, &options};
  int code = options.check ? run_check(resolved.tool, params, stdout)
             : options.run_tests || options.run_benchmarks
                 ? resolved.tool.test_bench->run(&resolved.tool, &test_bench_run,
                                                 options.run_tests ? BTC_RUN_TESTS : BTC_RUN_BENCHMARKS)
                 : run_tool(resolved.tool, params, options, limits);
  close_output();
  return code;
}

}  // namespace btc::rt

extern "C" int btc_main(const struct btc_tool *tool, int argc, char **argv) {
  return btc::rt::main_with_tool(*tool, argc, argv);
}
