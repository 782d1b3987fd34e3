// Opening and loading the tool's embedded BPF object.
#ifndef BTC_RT_LOADER_H
#define BTC_RT_LOADER_H

#include <functional>
#include <string>
#include <vector>

#include "btc/abi.h"
#include "twin_choice.h"

struct bpf_object;
struct bpf_program;
struct bpf_map;

namespace btc::rt {

// Owns the bpf_object; closing it frees every program and map.
class LoadedObject {
 public:
  LoadedObject() = default;
  LoadedObject(const LoadedObject &) = delete;
  LoadedObject &operator=(const LoadedObject &) = delete;
  ~LoadedObject() { close(); }

  void close();
  bpf_object *get() const { return obj_; }
  bpf_program *program(const char *name) const;
  // The loaded program of `probe`: its own, or its kprobe fallback when that was loaded instead.
  bpf_program *program_for(const btc_probe_desc &probe) const;
  bpf_map *map(const char *name) const;
  // Pages of each CPU's perf buffer when events go through one (event_transport.h), else 0.
  size_t perf_buffer_pages() const { return perf_pages_; }

  // Opens tool.obj (object name = tool name), writes `params` into the
  // .rodata.btc_params map and loads everything. On failure prints one line
  // (verifier rejection, missing privilege, ...) and returns false.
  bool load(const btc_tool &tool, const btc_params &params);

  // For --check: one open+load attempt in which `autoload(prog_name, default)`
  // decides which programs load (default: the tool's own programs, not the
  // kprobe twins). Returns 0, a negative errno from bpf_object__load(), or 1
  // when the object could not be opened or parameterised (already reported).
  using AutoloadChoice = std::function<bool(const char *prog_name, bool by_default)>;
  int load_selected(const btc_tool &tool, const btc_params &params, const AutoloadChoice &autoload);

 private:
  // One open+load attempt; probes whose twins[i].use_twin is set load their twin program
  // (btc_probe_desc.fallback_prog) instead of their own.
  int try_load(const btc_tool &tool, const btc_params &params, const std::vector<TwinDecision> &twins,
               const AutoloadChoice *autoload = nullptr);
  bpf_object *obj_ = nullptr;
  size_t perf_pages_ = 0;
};

// The probe whose program is `prog_name`, or nullptr.
const btc_probe_desc *probe_for_program(const btc_tool &tool, const std::string &prog_name);

// One line explaining why loading failed with `err` (verifier rejection,
// missing privilege, ...), from the libbpf output captured since.
std::string explain_load_failure(const btc_tool &tool, int err);

}  // namespace btc::rt

#endif
