// Folding a syscall tracepoint glob into one raw tracepoint program (see syscall_multi.h).
#include "check/syscall_multi.h"

#include <optional>
#include <utility>

#include "ast/ast_walk.h"
#include "check/syscall_numbers.h"

namespace btc {

// Whether the probe reads `args` only as fields every call's record has at the raw tracepoint:
// __syscall_nr, and at sys_exit ret (the program fills them from its arguments, btc_bpf.h).
static bool args_fields_shared(const ast::Probe &probe, bool at_exit) {
  bool shared = true;
  ast::Visitor v;
  v.expr = [&](const ast::Expr &e) {
    if (e.kind == ast::ExprKind::Field && !e.args.empty() && e.args[0]->kind == ast::ExprKind::Builtin &&
        e.args[0]->name == "args") {
      shared &= e.name == "__syscall_nr" || (at_exit && e.name == "ret");
      return ast::Walk::SkipChildren;
    }
    shared &= !(e.kind == ast::ExprKind::Builtin && e.name == "args");  // the whole record
    return ast::Walk::Children;
  };
  ast::walk(probe, v);
  return shared;
}

// "sys_enter" or "sys_exit" and the system call's number for a foldable match, else nothing.
static std::optional<std::pair<std::string, unsigned>> syscall_of(const ProbeTarget &t) {
  if (t.kind != ProbeKind::Tracepoint || t.target != "syscalls" || t.uses_regs) return std::nullopt;
  for (const char *raw : {"sys_enter", "sys_exit"}) {
    std::string prefix = std::string(raw) + "_";
    if (t.func.compare(0, prefix.size(), prefix) != 0) continue;
    if (t.uses_args && !args_fields_shared(*t.probe, std::string(raw) == "sys_exit")) return std::nullopt;
    if (auto nr = syscall_number(t.func.substr(prefix.size()))) return std::make_pair(std::string(raw), *nr);
  }
  return std::nullopt;
}

void group_syscall_globs(std::vector<ProbeTarget> *probes) {
  // Each match's raw tracepoint and number, and per attach point and raw tracepoint how many
  // matches could share a program.
  std::vector<std::optional<std::pair<std::string, unsigned>>> syscalls;
  std::map<std::pair<const ast::AttachPoint *, std::string>, size_t> foldable;
  for (const ProbeTarget &t : *probes) {
    syscalls.push_back(syscall_of(t));
    if (syscalls.back()) foldable[{t.attach, syscalls.back()->first}]++;
  }

  std::vector<ProbeTarget> out;
  std::map<std::pair<const ast::AttachPoint *, std::string>, size_t> folded_into;  // -> index in out
  for (size_t i = 0; i < probes->size(); i++) {
    ProbeTarget &t = (*probes)[i];
    const auto &sc = syscalls[i];
    std::pair<const ast::AttachPoint *, std::string> group{t.attach, sc ? sc->first : ""};
    if (!sc || foldable[group] < kMinSyscallGlob) {
      out.push_back(std::move(t));
      continue;
    }
    ProbeTarget::Match match{t.spec, t.func, sc->second};
    auto it = folded_into.find(group);
    if (it != folded_into.end()) {
      out[it->second].multi.push_back(std::move(match));
      continue;
    }
    folded_into[group] = out.size();
    t.spec = "tracepoint:" + t.attach->target + ":" + t.attach->func;  // the glob as written
    t.func.clear();
    t.tracepoint.reset();  // the program reads registers, not a tracepoint's record
    t.raw_tracepoint = sc->first;
    t.multi.push_back(std::move(match));
    out.push_back(std::move(t));
  }
  *probes = std::move(out);
}

}  // namespace btc
