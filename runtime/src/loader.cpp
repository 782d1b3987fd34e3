#include "loader.h"

#include <bpf/libbpf.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "attach.h"
#include "diag.h"
#include "embedded_object.h"
#include "event_transport.h"
#include "fentry_trial.h"
#include "libbpf_log.h"
#include "privilege.h"
#include "uprobe_multi.h"
#include "usdt_process.h"
#include "verifier_log.h"

namespace btc::rt {

void LoadedObject::close() {
  if (obj_) bpf_object__close(obj_);
  obj_ = nullptr;
}

bpf_program *LoadedObject::program(const char *name) const {
  return obj_ && name ? bpf_object__find_program_by_name(obj_, name) : nullptr;
}

bpf_map *LoadedObject::map(const char *name) const {
  return obj_ && name ? bpf_object__find_map_by_name(obj_, name) : nullptr;
}

const btc_probe_desc *probe_for_program(const btc_tool &tool, const std::string &prog_name) {
  for (uint32_t i = 0; i < tool.nprobes; i++) {
    const btc_probe_desc &p = tool.probes[i];
    if ((p.prog_name && prog_name == p.prog_name) || (p.fallback_prog && prog_name == p.fallback_prog)) return &p;
  }
  return nullptr;
}

// Copies params over the start of the .rodata.btc_params initial value.
static bool write_params(bpf_map *map, const btc_params &params, std::string &error) {
  size_t size = 0;
  const void *initial = bpf_map__initial_value(map, &size);
  if (!initial || size < sizeof(btc_params)) {
    error = "the BPF object's " BTC_PARAMS_SECTION " section is smaller than struct btc_params (" +
            std::to_string(size) + " < " + std::to_string(sizeof(btc_params)) + " bytes)";
    return false;
  }
  std::vector<unsigned char> value(static_cast<const unsigned char *>(initial),
                                   static_cast<const unsigned char *>(initial) + size);
  memcpy(value.data(), &params, sizeof(params));
  int err = bpf_map__set_initial_value(map, value.data(), value.size());
  if (err) {
    error = std::string("cannot set BPF parameters: ") + strerror(-err);
    return false;
  }
  return true;
}

// One line explaining why bpf_object__load() failed with `err`.
std::string explain_load_failure(const btc_tool &tool, int err) {
  const std::string &output = libbpf_output();
  std::string missing = unresolved_kernel_variable(output);
  if (!missing.empty()) return missing;
  LoadFailure failure = find_load_failure(output);
  if (!failure.program.empty()) {
    const btc_probe_desc *probe = probe_for_program(tool, failure.program);
    std::string spec = probe && probe->spec ? probe->spec : failure.program;
    VerifierSummary summary = summarize_verifier_log(failure.verifier_log);
    if (!summary.error.empty()) {
      std::string where = summary.location;
      if (where.empty() && probe && probe->source_loc) where = probe->source_loc;
      std::string line = "BPF verifier rejected " + spec;
      if (!where.empty()) line += " (" + where + ")";
      return line + ": " + summary.error;
    }
    if (err == -EPERM) return kPermissionMessage;
    return "cannot load the BPF program for " + spec + ": " + failure.error;
  }
  if (err == -EPERM) return kPermissionMessage;
  std::string message = last_libbpf_message(output);
  if (message.empty()) message = strerror(-err);
  return "cannot load BPF object: " + message;
}

bpf_program *LoadedObject::program_for(const btc_probe_desc &probe) const {
  bpf_program *prog = program(probe.prog_name);
  if (prog && bpf_program__fd(prog) >= 0) return prog;
  bpf_program *twin = program(probe.fallback_prog);
  return twin && bpf_program__fd(twin) >= 0 ? twin : prog;
}

// config max_probes, as bpftrace checks it before attaching: the probes known at build time plus
// the probes the matches of globs found at run time make (`runtime_probes`).
static bool within_probe_limit(const btc_tool &tool, uint64_t runtime_probes) {
  uint64_t total = tool.build_time_probes + runtime_probes;
  uint64_t limit = tool.max_probes ? tool.max_probes : 1024;
  if (total <= limit) return true;
  log_error("Can't attach to " + std::to_string(total) + " probes because it exceeds the current limit of " +
            std::to_string(limit) + " probes.");
  return false;
}

// Returns 0, a negative errno from load, or 1 when the object could not be opened or
// parameterised (already reported).
int LoadedObject::try_load(const btc_tool &tool, const btc_params &params, const std::vector<TwinDecision> &twins,
                           const AutoloadChoice *autoload) {
  LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = tool.name);
  size_t obj_size = 0;
  const unsigned char *obj_bytes = embedded_object(tool, obj_size);
  obj_ = obj_bytes ? bpf_object__open_mem(obj_bytes, obj_size, &opts) : nullptr;
  if (!obj_) {
    int err = errno;
    print_error(std::string("cannot open the embedded BPF object: ") + strerror(err));
    dump_libbpf_output_if_verbose();
    return 1;
  }
  if (bpf_map *params_map = map(BTC_PARAMS_SECTION)) {
    std::string error;
    if (!write_params(params_map, params, error)) {
      print_error(error);
      return 1;
    }
  }
  perf_pages_ = 0;
  std::string error;
  if (!prepare_event_maps(obj_, params.perf_buffer != 0, &perf_pages_, error)) {
    print_error(error);
    return 1;
  }
  for (uint32_t i = 0; i < tool.nprobes; i++) {
    const btc_probe_desc &p = tool.probes[i];
    bpf_program *twin = program(p.fallback_prog);
    if (!twin) continue;
    bool use_twin = i < twins.size() && twins[i].use_twin;
    if (bpf_program *own = program(p.prog_name)) bpf_program__set_autoload(own, !use_twin);
    bpf_program__set_autoload(twin, use_twin);
  }
  uint64_t runtime_probes = 0;
  if (tool.uprobe_multi_functions) runtime_probes += tool.uprobe_multi_functions->prepare(tool, obj_);
  if (tool.usdt_process_functions) runtime_probes += tool.usdt_process_functions->prepare(tool, obj_, target_pid());
  if (!within_probe_limit(tool, runtime_probes)) return 1;
  if (autoload) {
    bpf_program *prog;
    bpf_object__for_each_program(prog, obj_) {
      bpf_program__set_autoload(prog, (*autoload)(bpf_program__name(prog), bpf_program__autoload(prog)));
    }
  }
  return bpf_object__load(obj_);
}

int LoadedObject::load_selected(const btc_tool &tool, const btc_params &params, const AutoloadChoice &autoload) {
  close();
  clear_libbpf_output();
  return try_load(tool, params, {}, &autoload);
}

// Whether `prog_name`, a program of `probe`, is an fentry/fexit program: the probe's own, or a
// kprobe's twin.
static bool is_trampoline_program(const btc_probe_desc &probe, const std::string &prog_name) {
  bool own = probe.prog_name && prog_name == probe.prog_name;
  bool fentry_kind = probe.kind == BTC_PROBE_FENTRY || probe.kind == BTC_PROBE_FEXIT;
  return own == fentry_kind;
}

// BTC_VERBOSE: which probes run as their twins, and why.
static void note_twins(const btc_tool &tool, const std::vector<TwinDecision> &twins) {
  if (!verbose()) return;
  for (uint32_t i = 0; i < tool.nprobes && i < twins.size(); i++) {
    if (!twins[i].use_twin) continue;
    const btc_probe_desc &p = tool.probes[i];
    fprintf(stderr, "%s: note: %s runs as %s (%s)\n", tool_name(), p.spec ? p.spec : p.prog_name, twin_spec(p).c_str(),
            twins[i].why.c_str());
  }
}

bool LoadedObject::load(const btc_tool &tool, const btc_params &params) {
  // Without kprobes (CONFIG_KPROBES off), kprobe probes load their fentry twins; an fentry/fexit
  // probe whose function cannot take a trampoline (no ftrace location, no free trampoline slot,
  // no trampolines on this architecture) loads its kprobe twin, as libbpf-tools do.
  TwinInputs inputs;
  inputs.kprobes = kprobes_available();
  std::vector<TwinDecision> twins = choose_twins(tool, inputs, fentry_trial_attach);
  int err = try_load(tool, params, twins);
  if (err < 0) {
    // An fentry/fexit program this kernel cannot load (no BTF trampolines, EPERM under
    // lockdown, ...): retry with kprobe programs everywhere.
    LoadFailure failure = find_load_failure(libbpf_output());
    const btc_probe_desc *probe = probe_for_program(tool, failure.program);
    if (probe && probe->fallback_prog && is_trampoline_program(*probe, failure.program)) {
      close();
      clear_libbpf_output();
      inputs.fentry_does_not_load = true;
      twins = choose_twins(tool, inputs, fentry_trial_attach);
      err = try_load(tool, params, twins);
    }
  }
  if (err == 1) return false;
  if (err) {
    print_error(explain_load_failure(tool, err));
    dump_libbpf_output_if_verbose();
    return false;
  }
  note_twins(tool, twins);
  return true;
}

}  // namespace btc::rt
