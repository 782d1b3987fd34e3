// Maps whose delete() can be a mark instead of a removal.
//
// The common latency pattern `@start[tid] = nsecs; ... delete(@start[tid])` inserts and removes
// a hash entry per event, the two most expensive map operations (~50 and ~45 ns here). When a
// map is only stored to with `=`, read, tested with has_key(), deleted from one key at a time
// and printed or cleared as a whole, each value gets a "live" word instead: delete() clears it
// in place, a store to a dead entry revives it in place, reads see a dead entry as missing, and
// the runtime leaves dead entries out of everything it prints. When the map fills up, BPF
// removes the dead entries (one pass) and tries the insertion again, so the map holds as many
// live keys as bpftrace's would. Any other use of the map keeps plain deletes.
#pragma once
#include "ast/ast.h"
#include "check/program_info.h"

namespace btc {

// Sets MapInfo::soft_delete on the maps of `maps` that qualify (see above).
void choose_soft_delete_maps(const ast::Program &program, std::vector<MapInfo> &maps);

}  // namespace btc
