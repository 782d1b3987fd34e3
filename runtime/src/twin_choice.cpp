#include "twin_choice.h"

namespace btc::rt {

static bool is_kprobe_kind(uint32_t kind) { return kind == BTC_PROBE_KPROBE || kind == BTC_PROBE_KRETPROBE; }

static bool is_fentry_kind(uint32_t kind) { return kind == BTC_PROBE_FENTRY || kind == BTC_PROBE_FEXIT; }

static TwinDecision decide(const btc_probe_desc &probe, const TwinInputs &inputs, const FentryTrial &fentry_attaches) {
  TwinDecision d;
  if (!probe.fallback_prog) return d;
  if (is_kprobe_kind(probe.kind)) {
    // The fentry twin is of no use where fentry programs do not load.
    d.use_twin = !inputs.kprobes && !inputs.fentry_does_not_load;
    if (d.use_twin) d.why = "kprobes are not supported by this kernel";
    return d;
  }
  if (!is_fentry_kind(probe.kind)) return d;
  if (inputs.fentry_does_not_load) {
    d.use_twin = true;
    d.why = "fentry/fexit programs do not load on this kernel";
    return d;
  }
  if (!inputs.kprobes) return d;  // the twin could not attach either
  std::string reason;
  if (!fentry_attaches(probe, reason)) {
    d.use_twin = true;
    d.why = std::string(probe.kind == BTC_PROBE_FEXIT ? "fexit" : "fentry") + " cannot attach: " + reason;
  }
  return d;
}

std::vector<TwinDecision> choose_twins(const btc_tool &tool, const TwinInputs &inputs,
                                       const FentryTrial &fentry_attaches) {
  std::vector<TwinDecision> decisions;
  decisions.reserve(tool.nprobes);
  for (uint32_t i = 0; i < tool.nprobes; i++) decisions.push_back(decide(tool.probes[i], inputs, fentry_attaches));
  return decisions;
}

std::string twin_spec(const btc_probe_desc &probe) {
  const char *kind = "";
  switch (probe.kind) {
    case BTC_PROBE_KPROBE:
      kind = "fentry";
      break;
    case BTC_PROBE_KRETPROBE:
      kind = "fexit";
      break;
    case BTC_PROBE_FENTRY:
      kind = "kprobe";
      break;
    case BTC_PROBE_FEXIT:
      kind = "kretprobe";
      break;
    default:
      break;
  }
  return std::string(kind) + ":" + (probe.func ? probe.func : "");
}

}  // namespace btc::rt
