// Reference for `@h = hist(pid)`: a per-CPU array of log2 buckets.
#include "ref_bpf.h"

REF_PERCPU_HIST(hist);

SEC("tracepoint")
int hist_pid(void *ctx) {
  ref_hist_add(&hist, bpf_get_current_pid_tgid() >> 32);
  return 0;
}
