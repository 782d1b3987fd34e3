// dw_ustack([mode, ][limit]): ustack unwound with the target's .eh_frame tables. An unstable
// feature in bpftrace v0.26 (config unstable_dw_ustack: warn by default, enable, error) and
// x86-64 only; a process the tables do not describe warns at run time, through a printf-table
// entry without arguments like the division's.
#include "btc/abi.h"
#include "check/checker_impl.h"

namespace btc::checker_internal {

namespace {

const char *const kFeature = "dw_ustack (DWARF stack unwinding)";
const char *const kKey = "unstable_dw_ustack";

}  // namespace

void Checker::note_dw_ustack(const Expr &e) {
#if !defined(__x86_64__)
  error(DiagKind::Semantic, e.range, "dw_ustack is not available in this build (requires x86_64)");
  return;
#endif
  auto it = info_->config.settings.find(kKey);
  std::string setting = it == info_->config.settings.end() ? "warn" : it->second;
  if (setting == "error") {
    error(DiagKind::Semantic, e.range,
          std::string(kFeature) +
              " feature is not enabled by default. To enable this unstable feature, set the config flag to enable. " +
              kKey + "=enable");
    return;
  }
  if (e.type.hist_bits == BTC_STACK_BUILD_ID) {
    error(DiagKind::Semantic, e.range, "btc does not support the build_id stack mode in dw_ustack");
    return;
  }
  info_->uses_dw_stacks = true;
  if (quiet_) return;
  if (setting == "warn" && !warned_dw_ustack_) {
    diags_.warning(DiagKind::Semantic, e.range,
                   std::string("Script is using an unstable feature: ") + kFeature +
                       ". To prevent this warning you must explicitly enable it in the config e.g. " + kKey +
                       "=enable");
    warned_dw_ustack_ = true;
  }
  note_runtime_warning(
      e, "No DWARF unwind data available for this process. Use -p or --dwarf-pid to specify target PIDs.");
}

}  // namespace btc::checker_internal
