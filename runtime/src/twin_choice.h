// Which probes load their twin program (btc_probe_desc.fallback_prog) instead of their own:
// a kprobe/kretprobe its fentry/fexit twin where the kernel has no kprobes, an fentry/fexit
// its kprobe/kretprobe twin where fentry cannot attach to that function, as libbpf-tools do.
#ifndef BTC_RT_TWIN_CHOICE_H
#define BTC_RT_TWIN_CHOICE_H

#include <functional>
#include <string>
#include <vector>

#include "btc/abi.h"

namespace btc::rt {

struct TwinInputs {
  bool kprobes = true;                // the kernel has kprobes
  bool fentry_does_not_load = false;  // an fentry/fexit program already failed to load here
};

struct TwinDecision {
  bool use_twin = false;
  std::string why;  // use_twin: the reason, e.g. "fentry cannot attach: Device or resource busy"
};

// Whether an fentry/fexit trampoline attaches to probe.func; false with a reason when not.
using FentryTrial = std::function<bool(const btc_probe_desc &probe, std::string &reason)>;

// One decision per probe, in the order of tool.probes. `fentry_attaches` is asked only for
// fentry/fexit probes that have a kprobe twin, on a kernel with kprobes.
std::vector<TwinDecision> choose_twins(const btc_tool &tool, const TwinInputs &inputs,
                                       const FentryTrial &fentry_attaches);

// "kprobe:FUNC" / "kretprobe:FUNC" / "fentry:FUNC" / "fexit:FUNC": what the twin of `probe` attaches as.
std::string twin_spec(const btc_probe_desc &probe);

}  // namespace btc::rt

#endif
