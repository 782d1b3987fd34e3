// Uprobe globs as one program: the matches of uprobe:BIN:glob* share one BPF program, which the
// runtime attaches as one uprobe_multi link (or, on kernels without those, as one uprobe per
// function); the attach cookie tells the matches apart (abi.h, struct btc_uprobe_multi).
#pragma once
#include <vector>

#include "check/program_info.h"

namespace btc {

// After checking: folds the matches of each uprobe/uretprobe glob into the first of them
// (ProbeTarget::multi), whose spec becomes the glob's ("uprobe:BIN:glob*"). Matches whose body
// reads `args` (typed per function from DWARF) or that have an offset keep one program each.
void group_uprobe_globs(std::vector<ProbeTarget> *probes);

}  // namespace btc
