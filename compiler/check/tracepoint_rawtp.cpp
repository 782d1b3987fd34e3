// Choosing the tracepoints that run as raw tracepoints (see tracepoint_rawtp.h).
#include "check/tracepoint_rawtp.h"

#include "ast/ast_walk.h"
#include "btf/tracepoints.h"

namespace btc {

static bool takes_kstack(const ast::Probe &probe) {
  bool found = false;
  ast::Visitor v;
  v.expr = [&](const ast::Expr &e) {
    found |= (e.kind == ast::ExprKind::Builtin || e.kind == ast::ExprKind::Call) && e.name == "kstack";
    return ast::Walk::Children;
  };
  ast::walk(probe, v);
  return found;
}

void run_tracepoints_as_raw(std::vector<ProbeTarget> *probes, const KernelBtf *btf) {
  if (!btf) return;
  for (ProbeTarget &t : *probes) {
    if (t.kind != ProbeKind::Tracepoint || !t.raw_tracepoint.empty() || t.target == "syscalls" || t.uses_args ||
        t.uses_regs || !t.probe || takes_kstack(*t.probe) || !has_raw_tracepoint(*btf, t.func))
      continue;
    t.raw_tracepoint = t.func;
    t.tracepoint.reset();  // the program reads no record
  }
}

}  // namespace btc
