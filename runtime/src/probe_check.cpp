#include "probe_check.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/perf_event.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <set>

#include "attach.h"
#include "diag.h"
#include "elf_symbol.h"
#include "fentry_trial.h"
#include "libbpf_log.h"
#include "loader.h"
#include "perf_event.h"
#include "twin_choice.h"
#include "verifier_log.h"
#include "vmlinux_btf.h"

namespace btc::rt {

std::string format_probe_report(const ProbeReport &report) {
  switch (report.status) {
    case ProbeStatus::kOk:
      return report.spec + ": OK" + (report.note.empty() ? "" : " (" + report.note + ")") + "\n";
    case ProbeStatus::kMissing:
      return report.spec + ": missing: " + report.reason + "\n";
    case ProbeStatus::kRejected:
      return report.spec + ": rejected: " + report.reason + "\n";
  }
  return "";
}

// ---- attach targets --------------------------------------------------------------

static bool exists(const std::string &path) { return access(path.c_str(), F_OK) == 0; }

static const char *const kTracefsRoots[] = {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"};

static std::string tracefs_root() {
  for (const char *root : kTracefsRoots)
    if (exists(std::string(root) + "/events")) return root;
  return "";
}

// Kernel functions that kprobes can attach to: available_filter_functions
// when tracefs has it, else every text symbol of /proc/kallsyms.
static const std::set<std::string> &traceable_kernel_functions() {
  static std::set<std::string> names;
  static bool loaded = false;
  if (loaded) return names;
  loaded = true;
  // stdio rather than iostreams: iostreams add ~0.9 MB to every static tool.
  std::string root = tracefs_root();
  char line[512];
  if (FILE *filter = root.empty() ? nullptr : fopen((root + "/available_filter_functions").c_str(), "re")) {
    while (fgets(line, sizeof(line), filter)) {
      std::string text = line;
      names.insert(text.substr(0, text.find_first_of(" \t\n")));
    }
    fclose(filter);
    if (!names.empty()) return names;
  }
  if (FILE *kallsyms = fopen("/proc/kallsyms", "re")) {
    char type[8], name[256];
    unsigned long long address;
    while (fgets(line, sizeof(line), kallsyms))
      if (sscanf(line, "%llx %7s %255s", &address, type, name) == 3 && (type[0] == 't' || type[0] == 'T') &&
          type[1] == 0)
        names.insert(name);
    fclose(kallsyms);
  }
  return names;
}

static bool btf_has(const std::string &name, int kind) {
  const btf *types = vmlinux_btf();
  return types && btf__find_by_name_kind(types, name.c_str(), kind) >= 0;
}

// Opening (and closing at once) a perf event shows whether the kernel and
// the hardware provide it; nothing samples.
static bool perf_event_available(uint32_t type, uint64_t config, std::string &reason) {
  int fd = open_perf_event(type, config, 1000000000ULL, online_cpus().front());
  if (fd >= 0) {
    close(fd);
    return true;
  }
  reason = type == PERF_TYPE_HARDWARE ? "hardware performance counters are not available on this machine"
                                      : std::string("perf event not available: ") + strerror(-fd);
  return false;
}

static bool uprobe_target_exists(const btc_probe_desc &probe, std::string &reason) {
  std::string target = probe.target ? probe.target : "";
  std::string binary = resolve_binary(target);
  if (binary.empty() || !exists(binary)) {
    reason = "binary '" + target + "' not found";
    return false;
  }
  if (probe.kind == BTC_PROBE_USDT || !probe.func || !*probe.func) return true;
  std::string error;
  switch (find_elf_symbol(binary, probe.func, &error)) {
    case SymbolLookup::kFound:
      return true;
    case SymbolLookup::kNotFound:
      reason = "function '" + std::string(probe.func) + "' not found in " + binary;
      return false;
    case SymbolLookup::kUnreadable:
      reason = error;
      return false;
  }
  return false;
}

bool probe_target_exists(const btc_probe_desc &probe, std::string &reason) {
  std::string func = probe.func ? probe.func : "";
  switch (probe.kind) {
    case BTC_PROBE_TRACEPOINT: {
      std::string root = tracefs_root();
      if (root.empty()) {
        reason = "tracefs is not mounted (mount -t tracefs tracefs /sys/kernel/tracing)";
        return false;
      }
      if (exists(root + "/events/" + (probe.target ? probe.target : "") + "/" + func + "/id")) return true;
      reason = "tracepoint does not exist on this kernel";
      return false;
    }
    case BTC_PROBE_RAWTP:
      if (btf_has("btf_trace_" + func, BTF_KIND_TYPEDEF)) return true;
      reason = "raw tracepoint does not exist on this kernel";
      return false;
    case BTC_PROBE_KPROBE:
    case BTC_PROBE_KRETPROBE:
      if (!kprobes_available() && probe.fallback_prog) {  // its fentry/fexit twin stands in
        if (btf_has(func, BTF_KIND_FUNC)) return true;
        reason = "kernel function not found in the kernel's BTF";
        return false;
      }
      if (!kprobes_available()) {
        reason = "kprobes are not supported by this kernel";
        return false;
      }
      if (traceable_kernel_functions().count(func)) return true;
      reason = "kernel function not found or not traceable";
      return false;
    case BTC_PROBE_FENTRY:
    case BTC_PROBE_FEXIT:
      if (btf_has(func, BTF_KIND_FUNC)) return true;
      reason = "kernel function not found in the kernel's BTF";
      return false;
    case BTC_PROBE_UPROBE:
    case BTC_PROBE_URETPROBE:
    case BTC_PROBE_USDT:
      return uprobe_target_exists(probe, reason);
    case BTC_PROBE_INTERVAL:
    case BTC_PROBE_PROFILE:
      return perf_event_available(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK, reason);
    case BTC_PROBE_SOFTWARE: {
      auto event = find_software_event(func);
      if (!event) {
        reason = "unknown software event '" + func + "'";
        return false;
      }
      return perf_event_available(PERF_TYPE_SOFTWARE, event->config, reason);
    }
    case BTC_PROBE_HARDWARE: {
      auto event = find_hardware_event(func);
      if (!event) {
        reason = "unknown hardware event '" + func + "'";
        return false;
      }
      return perf_event_available(PERF_TYPE_HARDWARE, event->config, reason);
    }
    default:
      return true;  // BEGIN, END
  }
}

// ---- loading -----------------------------------------------------------------------

// The probe that `prog_name` belongs to, as its own program or as its kprobe twin.
static int probe_index(const btc_tool &tool, const std::string &prog_name, bool *is_twin) {
  for (uint32_t i = 0; i < tool.nprobes; i++) {
    const btc_probe_desc &p = tool.probes[i];
    if (p.prog_name && prog_name == p.prog_name) return *is_twin = false, static_cast<int>(i);
    if (p.fallback_prog && prog_name == p.fallback_prog) return *is_twin = true, static_cast<int>(i);
  }
  return -1;
}

// "file.bt:3: R1 invalid mem access 'scalar'" from the captured libbpf output.
static std::string rejection_reason(const btc_probe_desc &probe, const LoadFailure &failure) {
  VerifierSummary summary = summarize_verifier_log(failure.verifier_log);
  if (summary.error.empty()) return failure.error.empty() ? "the kernel refused to load it" : failure.error;
  std::string where = !summary.location.empty() ? summary.location : probe.source_loc ? probe.source_loc : "";
  return where.empty() ? summary.error : where + ": " + summary.error;
}

// Loads the object again and again, each time leaving out the programs the
// kernel refused so far (an fentry/fexit probe first falls back to its
// kprobe twin), until it loads. Fills `rejected` by probe index and
// `on_twin` with the fentry/fexit probes that need their twin. False when
// loading failed for a reason that is not one program (already reported).
static bool find_rejected_programs(const btc_tool &tool, const btc_params &params, std::map<int, std::string> &rejected,
                                   std::set<int> &on_twin, std::map<int, std::string> &twin_why) {
  std::set<std::string> left_out;  // programs that do not load
  auto autoload = [&](const char *name, bool by_default) {
    if (left_out.count(name)) return false;
    bool is_twin;
    int index = probe_index(tool, name, &is_twin);
    if (index >= 0 && on_twin.count(index)) return is_twin;
    return by_default;
  };
  for (uint32_t attempt = 0; attempt <= 2 * tool.nprobes + 1; attempt++) {
    LoadedObject object;
    int err = object.load_selected(tool, params, autoload);
    if (err == 0) return true;
    if (err == 1) return false;
    LoadFailure failure = find_load_failure(libbpf_output());
    bool is_twin = false;
    int index = failure.program.empty() ? -1 : probe_index(tool, failure.program, &is_twin);
    if (index < 0) {
      print_error(explain_load_failure(tool, err));
      dump_libbpf_output_if_verbose();
      return false;
    }
    const btc_probe_desc &probe = tool.probes[index];
    if (!is_twin && probe.fallback_prog && !on_twin.count(index)) {
      on_twin.insert(index);  // retry this probe through its kprobe twin
      twin_why[index] = "its fentry/fexit program does not load here";
      continue;
    }
    rejected[index] = rejection_reason(probe, failure);
    left_out.insert(failure.program);
  }
  print_error("loading did not settle after leaving out every rejected program");
  return false;
}

int run_check(const btc_tool &tool, const btc_params &params, FILE *out) {
  capture_libbpf_output();
  std::map<int, std::string> rejected;
  std::set<int> on_twin;
  std::map<int, std::string> twin_why;  // fentry/fexit probes on their kprobe twin: why
  bool kprobes = kprobes_available();
  // The runtime's choice: without kprobes, kprobe probes load their fentry twins; an fentry/fexit
  // probe whose trampoline does not attach (tried with a do-nothing program) its kprobe twin.
  TwinInputs inputs;
  inputs.kprobes = kprobes;
  std::vector<TwinDecision> twins = choose_twins(tool, inputs, fentry_trial_attach);
  for (uint32_t i = 0; i < tool.nprobes; i++) {
    if (!twins[i].use_twin) continue;
    on_twin.insert(static_cast<int>(i));
    if (tool.probes[i].kind == BTC_PROBE_FENTRY || tool.probes[i].kind == BTC_PROBE_FEXIT)
      twin_why[static_cast<int>(i)] = twins[i].why;
  }
  if (!find_rejected_programs(tool, params, rejected, on_twin, twin_why)) return 1;

  bool all_ok = true;
  for (uint32_t i = 0; i < tool.nprobes; i++) {
    const btc_probe_desc &probe = tool.probes[i];
    ProbeReport report;
    report.spec = probe.spec ? probe.spec : probe.prog_name;
    if (!probe_target_exists(probe, report.reason)) {
      report.status = ProbeStatus::kMissing;
    } else if (on_twin.count(static_cast<int>(i)) && !kprobes) {
      report.status = ProbeStatus::kMissing;
      bool kprobe_kind = probe.kind == BTC_PROBE_KPROBE || probe.kind == BTC_PROBE_KRETPROBE;
      if (!kprobe_kind || rejected.count(static_cast<int>(i)))
        report.reason = "fentry/fexit programs do not load here and kprobes are not supported by this kernel";
      else
        report.status = ProbeStatus::kOk;
    } else if (rejected.count(static_cast<int>(i))) {
      report.status = ProbeStatus::kRejected, report.reason = rejected[static_cast<int>(i)];
    } else if (twin_why.count(static_cast<int>(i))) {
      report.note = "as " + twin_spec(probe) + ": " + twin_why[static_cast<int>(i)];
    }
    all_ok = all_ok && report.status == ProbeStatus::kOk;
    fputs(format_probe_report(report).c_str(), out);
  }
  fflush(out);
  return all_ok ? 0 : 1;
}

}  // namespace btc::rt
