// ref_printf CATEGORY:TRACEPOINT  --  printf("%d %s\n", pid, comm) per event.
#include "printf.skel.h"
#include "ref_common.h"

struct event {
  unsigned pid;
  char comm[16];
};

static int on_event(void *ctx, void *data, size_t size) {
  (void)ctx;
  (void)size;
  const struct event *e = data;
  printf("%u %.16s\n", e->pid, e->comm);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2 || !strchr(argv[1], ':')) {
    fprintf(stderr, "usage: ref_printf CATEGORY:TRACEPOINT\n");
    return 2;
  }
  char *name = strchr(argv[1], ':');
  *name++ = 0;
  struct printf_bpf *skel = printf_bpf__open_and_load();
  if (!skel) return ref_fail("load");
  struct ring_buffer *rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_event, NULL, NULL);
  if (!rb) return ref_fail("ring buffer");
  ref_catch_signals();
  struct bpf_link *link = bpf_program__attach_tracepoint(skel->progs.print_event, argv[1], name);
  if (!link) return ref_fail("attach");
  ref_attached(1);
  unsigned long long reported = 0;
  while (!ref_stop) {
    ring_buffer__poll(rb, 100);
    fflush(stdout);
    if (skel->bss->lost > reported) {
      fprintf(stderr, "Lost %llu events\n", skel->bss->lost - reported);
      reported = skel->bss->lost;
    }
  }
  bpf_link__destroy(link);
  ring_buffer__consume(rb);
  printf("\n\n");
  fflush(stdout);
  ring_buffer__free(rb);
  printf_bpf__destroy(skel);
  return 0;
}
