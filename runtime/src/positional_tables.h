// Table entries that name a positional parameter ($N) instead of a value, because the script
// used $N where bpftrace needs a constant: interval:ms:$1 (btc_probe_desc.period_param),
// lhist(n, $1, $2, $3) (btc_map_desc.lhist_params) and ustack($1) (BTC_STACK_LIMIT_PARAM).
// The tool's command line gives the values; they are checked and filled in here, before the
// tool loads, so that the rest of the runtime sees final tables.
#ifndef BTC_RT_POSITIONAL_TABLES_H
#define BTC_RT_POSITIONAL_TABLES_H

#include <string>
#include <vector>

#include "btc/abi.h"

namespace btc::rt {

// A copy of a btc_tool whose probes and maps carry the parameters' values. `tool` points into
// the vectors: a ResolvedTool is filled in place and never copied.
struct ResolvedTool {
  btc_tool tool{};
  std::vector<btc_probe_desc> probes;
  std::vector<btc_map_desc> maps;

  ResolvedTool() = default;
  ResolvedTool(const ResolvedTool &) = delete;
  ResolvedTool &operator=(const ResolvedTool &) = delete;
};

// Fills `out` from `in` and the positional parameters in `params` (and tells the stack printer
// the stack limits). False with `error` when a value is unusable (not a positive rate, an lhist()
// step below 1, a stack limit outside 1..BTC_MAX_STACK_FRAMES, ...).
bool resolve_positional_tables(const btc_tool &in, const btc_params &params, ResolvedTool &out, std::string &error);

}  // namespace btc::rt

#endif
