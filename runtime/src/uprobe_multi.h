// Attaching a uprobe glob's shared program (abi.h, struct btc_uprobe_multi) to all of its
// functions: one uprobe_multi link where the kernel has them (6.6+), else one uprobe per function.
// Reached only through btc_tool.uprobe_multi_functions, so that tools without uprobe globs do not
// link this code.
#ifndef BTC_RT_UPROBE_MULTI_H
#define BTC_RT_UPROBE_MULTI_H

#include <cstdint>
#include <string>

#include "btc/abi.h"

struct bpf_object;
struct bpf_program;

namespace btc::rt {
class Links;
}

struct btc_uprobe_multi_attacher {
  // Between open and load: finds the matches of uprobe:*:glob probes and gives the shared programs
  // the uprobe_multi attach type when this kernel has uprobe_multi links (they then cannot attach
  // as plain uprobes). Returns how many probes bpftrace would count for those matches: one per file.
  uint32_t (*prepare)(const btc_tool &tool, bpf_object *obj);
  // Attaches prog to the functions of `multi` in probe.target (for process pid only when > 0);
  // returns how many functions it attached to, or 0 with a reason.
  uint32_t (*attach)(const btc_uprobe_multi &multi, const btc_probe_desc &probe, bpf_program *prog, int pid,
                     btc::rt::Links &links, std::string &reason);
};

namespace btc::rt {

// The btc_tool.uprobe_multi entry of tool.probes[index]; NULL when that probe is not a glob's.
inline const btc_uprobe_multi *uprobe_multi_of(const btc_tool &tool, uint32_t index) {
  for (uint32_t i = 0; i < tool.nuprobe_multi; i++)
    if (tool.uprobe_multi[i].probe == index) return &tool.uprobe_multi[i];
  return nullptr;
}

// Whether this kernel can create uprobe_multi links (asked once).
bool kernel_has_uprobe_multi();

}  // namespace btc::rt

#endif
