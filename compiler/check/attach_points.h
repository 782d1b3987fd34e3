// Attach point resolution: provider aliases, splitting, wildcard expansion, validation against
// the build host's BTF and tracefs. One ProbeTarget per BPF program.
#pragma once
#include <vector>

#include "ast/ast.h"
#include "btf/kernel_btf.h"
#include "check/program_info.h"
#include "diag/diagnostics.h"

namespace btc {

// What resolving attach points needs besides the probe: the build host's kernel BTF (may be null),
// config missing_probes (enum btc_missing_probes) and btc --unsafe.
struct AttachContext {
  const KernelBtf *btf = nullptr;
  uint32_t missing_probes = 0;
  bool unsafe = false;
};

// Appends the targets of every attach point of `probe`; reports bad ones to diags. An attach point
// that matches nothing is an error, a warning or nothing, as config missing_probes says (bpftrace's
// "No matches for ..."); so is a probe left with no attach point at all.
void resolve_attach_points(const ast::Probe &probe, const AttachContext &ctx, Diagnostics &diags,
                           std::vector<ProbeTarget> *out);

}  // namespace btc
