// ref_count CATEGORY:TRACEPOINT [--exit-in-begin]
//   @[comm] = count() on one tracepoint; with --exit-in-begin a BEGIN program
//   requests the exit, as in `tracepoint:... { @[comm] = count(); } BEGIN { exit(); }`.
#include "count.skel.h"
#include "ref_common.h"

struct entry {
  char comm[16];
  unsigned long long n;
};

static int by_count(const void *a, const void *b) {
  unsigned long long x = ((const struct entry *)a)->n, y = ((const struct entry *)b)->n;
  return x < y ? -1 : x > y;
}

static void print_counts(int fd) {
  int ncpus = libbpf_num_possible_cpus();
  unsigned long long values[ncpus];
  static struct entry entries[4096];
  int n = 0;
  char key[16], next[16];
  char *prev = NULL;
  while (n < 4096 && bpf_map_get_next_key(fd, prev, next) == 0) {
    memcpy(key, next, sizeof(key));
    prev = key;
    if (bpf_map_lookup_elem(fd, key, values)) continue;
    memcpy(entries[n].comm, key, sizeof(key));
    entries[n++].n = ref_percpu_sum(values, ncpus);
  }
  qsort(entries, n, sizeof(entries[0]), by_count);
  printf("\n\n");
  for (int i = 0; i < n; i++) printf("@[%.16s]: %llu\n", entries[i].comm, entries[i].n);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: ref_count CATEGORY:TRACEPOINT [--exit-in-begin]\n");
    return 2;
  }
  char category[64];
  const char *colon = strchr(argv[1], ':');
  if (!colon || colon - argv[1] >= (long)sizeof(category)) return 2;
  snprintf(category, sizeof(category), "%.*s", (int)(colon - argv[1]), argv[1]);
  int exit_in_begin = argc > 2 && strcmp(argv[2], "--exit-in-begin") == 0;

  struct count_bpf *skel = count_bpf__open_and_load();
  if (!skel) return ref_fail("load");
  ref_catch_signals();
  if (exit_in_begin && ref_run_once(skel->progs.begin_exit)) return ref_fail("BEGIN");
  struct bpf_link *link = bpf_program__attach_tracepoint(skel->progs.count_comm, category, colon + 1);
  if (!link) return ref_fail("attach");
  ref_attached(exit_in_begin ? 2 : 1);

  while (!ref_stop && !skel->bss->exit_requested) pause();
  bpf_link__destroy(link);
  print_counts(bpf_map__fd(skel->maps.counts));
  count_bpf__destroy(skel);
  return 0;
}
