// Folding the matches of a uprobe glob into one program (see uprobe_multi.h).
#include "check/uprobe_multi.h"

#include <utility>

namespace btc {

static bool shareable(const ProbeTarget &t) {
  return (t.kind == ProbeKind::Uprobe || t.kind == ProbeKind::Uretprobe) && !t.glob.empty() && t.offset == 0 &&
         !t.uses_args && !t.runtime_matches;
}

void group_uprobe_globs(std::vector<ProbeTarget> *probes) {
  std::vector<ProbeTarget> out;
  for (ProbeTarget &t : *probes) {
    if (!shareable(t)) {
      out.push_back(std::move(t));
      continue;
    }
    ProbeTarget::Match match{t.spec, t.func};
    if (!out.empty() && !out.back().multi.empty() && out.back().attach == t.attach) {
      out.back().multi.push_back(std::move(match));
      continue;
    }
    t.spec = t.spec.substr(0, t.spec.find(':')) + ":" + t.target + ":" + t.glob;
    t.func.clear();
    t.multi.push_back(std::move(match));
    out.push_back(std::move(t));
  }
  *probes = std::move(out);
}

}  // namespace btc
