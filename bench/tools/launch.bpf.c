// BPF half of `launch`: watches one process (target_tgid) and records, in
// CLOCK_MONOTONIC nanoseconds, when it exec()ed and when it finished each
// attach operation. The same definition of "attached" then holds for every
// tool, whatever it prints:
//   ioctl(fd, PERF_EVENT_IOC_ENABLE)        tracepoints, kprobes, uprobes, perf
//   bpf(BPF_RAW_TRACEPOINT_OPEN)            raw_tp, tp_btf, fentry
//   bpf(BPF_LINK_CREATE)                    perf links, multi-kprobes
// Only calls that succeed count (libbpf's feature probes fail on purpose).
// vmlinux.h must come first.
// clang-format off
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
// clang-format on

#define PERF_EVENT_IOC_ENABLE 0x2400
#define CMD_RAW_TRACEPOINT_OPEN 17
#define CMD_LINK_CREATE 28

__u32 target_tgid;
__u64 exec_ns;
__u64 first_attach_ns;
__u64 last_attach_ns;
__u32 nattach;

// Threads of the target inside an attach call (tid -> 1).
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 256);
  __type(key, __u32);
  __type(value, __u8);
} in_attach SEC(".maps");

static __always_inline int is_target(void) { return (bpf_get_current_pid_tgid() >> 32) == target_tgid; }

static __always_inline void enter(void) {
  __u32 tid = (__u32)bpf_get_current_pid_tgid();
  __u8 one = 1;
  bpf_map_update_elem(&in_attach, &tid, &one, BPF_ANY);
}

static __always_inline void leave(long ret) {
  __u32 tid = (__u32)bpf_get_current_pid_tgid();
  if (!bpf_map_lookup_elem(&in_attach, &tid)) return;
  bpf_map_delete_elem(&in_attach, &tid);
  if (ret < 0) return;
  __u64 now = bpf_ktime_get_ns();
  if (!first_attach_ns) first_attach_ns = now;
  last_attach_ns = now;
  nattach++;
}

SEC("tracepoint/sched/sched_process_exec")
int on_exec(void *ctx) {
  if (is_target() && !exec_ns) exec_ns = bpf_ktime_get_ns();
  return 0;
}

SEC("tracepoint/syscalls/sys_enter_ioctl")
int on_ioctl_enter(struct trace_event_raw_sys_enter *ctx) {
  if (is_target() && ctx->args[1] == PERF_EVENT_IOC_ENABLE) enter();
  return 0;
}

SEC("tracepoint/syscalls/sys_exit_ioctl")
int on_ioctl_exit(struct trace_event_raw_sys_exit *ctx) {
  if (is_target()) leave(ctx->ret);
  return 0;
}

SEC("tracepoint/syscalls/sys_enter_bpf")
int on_bpf_enter(struct trace_event_raw_sys_enter *ctx) {
  if (is_target() && (ctx->args[0] == CMD_RAW_TRACEPOINT_OPEN || ctx->args[0] == CMD_LINK_CREATE)) enter();
  return 0;
}

SEC("tracepoint/syscalls/sys_exit_bpf")
int on_bpf_exit(struct trace_event_raw_sys_exit *ctx) {
  if (is_target()) leave(ctx->ret);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
