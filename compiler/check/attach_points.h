// Attach point resolution: provider aliases, splitting, wildcard expansion, validation against
// the build host's BTF and tracefs. One ProbeTarget per BPF program.
#pragma once
#include <vector>

#include "ast/ast.h"
#include "btf/kernel_btf.h"
#include "check/program_info.h"
#include "diag/diagnostics.h"

namespace btc {

// Appends the targets of every attach point of `probe`; reports bad ones to diags.
void resolve_attach_points(const ast::Probe &probe, const KernelBtf *btf, Diagnostics &diags,
                           std::vector<ProbeTarget> *out);

}  // namespace btc
