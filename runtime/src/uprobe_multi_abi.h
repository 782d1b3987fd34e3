// The kernel's uprobe_multi link interface (Linux 6.6+), which neither libbpf 1.1 nor Debian 12's
// linux-libc-dev (6.1) describes. Values and layout as in the kernel's include/uapi/linux/bpf.h.
#ifndef BTC_RT_UPROBE_MULTI_ABI_H
#define BTC_RT_UPROBE_MULTI_ABI_H

#include <cstdint>

namespace btc::rt {

// enum bpf_attach_type: BPF_TRACE_UPROBE_MULTI (after BPF_TCX_EGRESS = 47; Linux 6.6).
constexpr uint32_t kBpfTraceUprobeMulti = 48;
// enum bpf_link_type: BPF_LINK_TYPE_UPROBE_MULTI (what `bpftool link` shows as uprobe_multi).
constexpr uint32_t kBpfLinkTypeUprobeMulti = 12;
// link_create.uprobe_multi.flags: BPF_F_UPROBE_MULTI_RETURN (a uretprobe).
constexpr uint32_t kBpfFUprobeMultiReturn = 1u << 0;

// The start of union bpf_attr as the BPF_LINK_CREATE command reads it, with the uprobe_multi
// member of its inner union (which starts at byte 16). Bytes the kernel does not know must be 0.
struct LinkCreateUprobeMultiAttr {
  uint32_t prog_fd;
  uint32_t target_fd;        // unused (0)
  uint32_t attach_type;      // kBpfTraceUprobeMulti
  uint32_t flags;            // link flags (0)
  uint64_t path;             // const char *: the binary
  uint64_t offsets;          // const unsigned long *: file offsets, cnt of them
  uint64_t ref_ctr_offsets;  // optional (0)
  uint64_t cookies;          // const __u64 *: bpf_get_attach_cookie() at each offset (optional)
  uint32_t cnt;
  uint32_t uprobe_flags;  // kBpfFUprobeMultiReturn or 0
  uint32_t pid;           // only this process (0: every process)
  uint32_t pad;
};
static_assert(sizeof(LinkCreateUprobeMultiAttr) == 64, "link_create.uprobe_multi layout");

}  // namespace btc::rt

#endif
