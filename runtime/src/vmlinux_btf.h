// The running kernel's BTF, parsed once per process for the runtime's own questions (does the
// kernel have this function or type?). libbpf parses it again for CO-RE when it loads.
#ifndef BTC_RT_VMLINUX_BTF_H
#define BTC_RT_VMLINUX_BTF_H

struct btf;

namespace btc::rt {

// nullptr when the kernel has no BTF.
const btf *vmlinux_btf();

}  // namespace btc::rt

#endif
