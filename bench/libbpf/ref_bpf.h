// BPF-side helpers shared by the reference programs.
#ifndef REF_BPF_H
#define REF_BPF_H

// vmlinux.h must come first.
// clang-format off
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
// clang-format on

#define REF_HIST_BUCKETS 66

// Bucket of a log2 histogram (see ref_print_log2_hist): branch-free floor(log2).
static __always_inline __u32 ref_log2_bucket(__s64 n) {
  if (n < 0) return 0;
  if (n == 0) return 1;
  __u64 v = n, l = 0, s;
  s = (v >= (1ULL << 32)) << 5;
  v >>= s;
  l += s;
  s = (v >= (1ULL << 16)) << 4;
  v >>= s;
  l += s;
  s = (v >= (1ULL << 8)) << 3;
  v >>= s;
  l += s;
  s = (v >= (1ULL << 4)) << 2;
  v >>= s;
  l += s;
  s = (v >= (1ULL << 2)) << 1;
  v >>= s;
  l += s;
  s = (v >= (1ULL << 1));
  l += s;
  return l + 2;
}

#define REF_PERCPU_HIST(name)                \
  struct {                                   \
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); \
    __uint(max_entries, REF_HIST_BUCKETS);   \
    __type(key, __u32);                      \
    __type(value, __u64);                    \
  } name SEC(".maps")

static __always_inline void ref_hist_add(void *map, __s64 n) {
  __u32 b = ref_log2_bucket(n);
  __u64 *slot = bpf_map_lookup_elem(map, &b);
  if (slot) *slot += 1;
}

char LICENSE[] SEC("license") = "GPL";

#endif
