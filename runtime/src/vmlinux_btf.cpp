#include "vmlinux_btf.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>

namespace btc::rt {

const btf *vmlinux_btf() {
  static btf *types = nullptr;
  static bool loaded = false;
  if (!loaded) {
    loaded = true;
    types = btf__load_vmlinux_btf();
    if (libbpf_get_error(types)) types = nullptr;
  }
  return types;
}

}  // namespace btc::rt
