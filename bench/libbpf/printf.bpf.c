// Reference for `printf("%d %s\n", pid, comm)`: one ring buffer record per
// event; failed reservations are counted as lost.
#include "ref_bpf.h"

struct event {
  __u32 pid;
  char comm[16];
};

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 1 << 20);
} events SEC(".maps");

__u64 lost;

SEC("tracepoint")
int print_event(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e) {
    __sync_fetch_and_add(&lost, 1);
    return 0;
  }
  e->pid = bpf_get_current_pid_tgid() >> 32;
  bpf_get_current_comm(e->comm, sizeof(e->comm));
  bpf_ringbuf_submit(e, 0);
  return 0;
}
