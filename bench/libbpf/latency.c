// ref_latency SYSCALL  --  enter/exit latency histogram of one system call.
#include "latency.skel.h"
#include "ref_common.h"

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: ref_latency SYSCALL\n");
    return 2;
  }
  char enter[64], exit_[64];
  snprintf(enter, sizeof(enter), "sys_enter_%s", argv[1]);
  snprintf(exit_, sizeof(exit_), "sys_exit_%s", argv[1]);
  struct latency_bpf *skel = latency_bpf__open_and_load();
  if (!skel) return ref_fail("load");
  ref_catch_signals();
  struct bpf_link *a = bpf_program__attach_tracepoint(skel->progs.on_enter, "syscalls", enter);
  struct bpf_link *b = bpf_program__attach_tracepoint(skel->progs.on_exit, "syscalls", exit_);
  if (!a || !b) return ref_fail("attach");
  ref_attached(2);
  while (!ref_stop) pause();
  bpf_link__destroy(a);
  bpf_link__destroy(b);
  printf("\n\n");
  ref_print_log2_hist("@h", bpf_map__fd(skel->maps.hist), REF_HIST_BUCKETS);
  latency_bpf__destroy(skel);
  return 0;
}
