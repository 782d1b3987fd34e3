// User-space helpers shared by the hand-written libbpf reference tools: what
// any small libbpf-tools program would carry. Each tool prints
// "Attached N probes" on stderr once attached, like btc and bpftrace, runs
// until SIGINT/SIGTERM, prints its map and exits.
#ifndef REF_COMMON_H
#define REF_COMMON_H

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t ref_stop;

static inline void ref_on_signal(int sig) {
  (void)sig;
  ref_stop = 1;
}

static inline void ref_catch_signals(void) {
  struct sigaction sa = {0};
  sa.sa_handler = ref_on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
}

static inline void ref_attached(int nprobes) { fprintf(stderr, "Attached %d probes\n", nprobes); }

static inline int ref_fail(const char *what) {
  fprintf(stderr, "%s failed\n", what);
  return 1;
}

// Sum of one per-CPU u64 value.
static inline unsigned long long ref_percpu_sum(const unsigned long long *values, int ncpus) {
  unsigned long long sum = 0;
  for (int i = 0; i < ncpus; i++) sum += values[i];
  return sum;
}

// Runs a BEGIN-style program once (BPF_PROG_TEST_RUN), like bpftrace does.
static inline int ref_run_once(struct bpf_program *prog) {
  LIBBPF_OPTS(bpf_test_run_opts, opts);
  return bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
}

#define REF_HIST_BUCKETS 66 /* same as ref_bpf.h */

// Prints a log2 histogram kept as a per-CPU array of `nbuckets` u64 counters,
// bucket 0 = negative values, bucket 1 = 0, bucket b >= 2 = [2^(b-2), 2^(b-1)).
static inline void ref_print_log2_hist(const char *name, int map_fd, int nbuckets) {
  int ncpus = libbpf_num_possible_cpus();
  unsigned long long values[ncpus];
  printf("%s:\n", name);
  for (int b = 0; b < nbuckets; b++) {
    if (bpf_map_lookup_elem(map_fd, &b, values)) continue;
    unsigned long long n = ref_percpu_sum(values, ncpus);
    if (!n) continue;
    if (b == 0)
      printf("(..., 0)  %llu\n", n);
    else if (b == 1)
      printf("[0]  %llu\n", n);
    else
      printf("[%llu, %llu)  %llu\n", 1ULL << (b - 2), 1ULL << (b - 1), n);
  }
}

#endif
