// Opening and loading the tool's embedded BPF object.
#ifndef BTC_RT_LOADER_H
#define BTC_RT_LOADER_H

#include <string>

#include "btc/abi.h"

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

  // Opens tool.obj (object name = tool name), writes `params` into the
  // .rodata.btc_params map and loads everything. On failure prints one line
  // (verifier rejection, missing privilege, ...) and returns false.
  bool load(const btc_tool &tool, const btc_params &params);

 private:
  // One open+load attempt; `fallbacks` selects the kprobe twins of fentry/fexit probes.
  int try_load(const btc_tool &tool, const btc_params &params, bool fallbacks);
  bpf_object *obj_ = nullptr;
};

// The probe whose program is `prog_name`, or nullptr.
const btc_probe_desc *probe_for_program(const btc_tool &tool, const std::string &prog_name);

}  // namespace btc::rt

#endif
