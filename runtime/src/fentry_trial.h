// Can an fentry/fexit trampoline attach to this kernel function right now? Loading an
// fentry program only checks the function's BTF; whether the function has an ftrace
// location, whether its trampoline has a free slot and whether the architecture has
// trampolines at all shows only at attach time. So, like libbpf-tools' fentry_can_attach(),
// a do-nothing tracing program is loaded for the function, attached and detached at once.
#ifndef BTC_RT_FENTRY_TRIAL_H
#define BTC_RT_FENTRY_TRIAL_H

#include <string>

#include "btc/abi.h"

namespace btc::rt {

// True when probe.func (a vmlinux function) takes an fentry (or, for BTC_PROBE_FEXIT, an
// fexit) program; else false with the kernel's reason. A function missing from the kernel's
// BTF counts as attachable: loading the probe's own program then reports it.
bool fentry_trial_attach(const btc_probe_desc &probe, std::string &reason);

}  // namespace btc::rt

#endif
