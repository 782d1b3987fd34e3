// Reference for
//   tracepoint:syscalls:sys_enter_X { @start[tid] = nsecs; }
//   tracepoint:syscalls:sys_exit_X /@start[tid]/ { @h = hist(nsecs - @start[tid]); delete(@start[tid]); }
// @start is shared by all CPUs (a thread may migrate), so it is a plain hash.
#include "ref_bpf.h"

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 4096);
  __type(key, __u32);
  __type(value, __u64);
} start SEC(".maps");

REF_PERCPU_HIST(hist);

SEC("tracepoint")
int on_enter(void *ctx) {
  __u32 tid = (__u32)bpf_get_current_pid_tgid();
  __u64 now = bpf_ktime_get_ns();
  bpf_map_update_elem(&start, &tid, &now, BPF_ANY);
  return 0;
}

SEC("tracepoint")
int on_exit(void *ctx) {
  __u32 tid = (__u32)bpf_get_current_pid_tgid();
  __u64 *t0 = bpf_map_lookup_elem(&start, &tid);
  if (!t0) return 0;
  ref_hist_add(&hist, bpf_ktime_get_ns() - *t0);
  bpf_map_delete_elem(&start, &tid);
  return 0;
}
