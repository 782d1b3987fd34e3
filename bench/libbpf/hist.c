// ref_hist CATEGORY:TRACEPOINT  --  @h = hist(pid) until SIGINT.
#include "hist.skel.h"
#include "ref_common.h"

int main(int argc, char **argv) {
  if (argc < 2 || !strchr(argv[1], ':')) {
    fprintf(stderr, "usage: ref_hist CATEGORY:TRACEPOINT\n");
    return 2;
  }
  char *name = strchr(argv[1], ':');
  *name++ = 0;
  struct hist_bpf *skel = hist_bpf__open_and_load();
  if (!skel) return ref_fail("load");
  ref_catch_signals();
  struct bpf_link *link = bpf_program__attach_tracepoint(skel->progs.hist_pid, argv[1], name);
  if (!link) return ref_fail("attach");
  ref_attached(1);
  while (!ref_stop) pause();
  bpf_link__destroy(link);
  printf("\n\n");
  ref_print_log2_hist("@h", bpf_map__fd(skel->maps.hist), REF_HIST_BUCKETS);
  hist_bpf__destroy(skel);
  return 0;
}
