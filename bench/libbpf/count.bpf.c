// Reference for `@[comm] = count()` (and, with a BEGIN program that asks to
// exit, for `... BEGIN { exit(); }`): a per-CPU hash keyed by comm.
#include "ref_bpf.h"

struct comm_key {
  char comm[16];
};

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
  __uint(max_entries, 4096);
  __type(key, struct comm_key);
  __type(value, __u64);
} counts SEC(".maps");

int exit_requested;

// Attached by the user side to the tracepoint named on its command line.
SEC("tracepoint")
int count_comm(void *ctx) {
  struct comm_key key = {};
  bpf_get_current_comm(key.comm, sizeof(key.comm));
  __u64 *n = bpf_map_lookup_elem(&counts, &key);
  if (n) {
    *n += 1;
  } else {
    __u64 one = 1;
    bpf_map_update_elem(&counts, &key, &one, BPF_NOEXIST);
  }
  return 0;
}

SEC("raw_tp")
int begin_exit(void *ctx) {
  exit_requested = 1;
  return 0;
}
