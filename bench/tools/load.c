// load: the benchmark workload. Makes N system calls, as fast as possible or
// paced to a given rate, and prints what it did as one line of key=value.
//
//   load getpid N [RATE [SECONDS]]  N getpid() calls, RATE per second (0 = flat out),
//                                   stopping early after SECONDS (default: no limit)
//   load openat N                   N openat("/dev/null") + close() pairs
//
// The time limit keeps a throughput step short when a tracer slows every call
// down; the report then says how many calls were made.
// Pacing works in 1 ms slots: RATE/1000 calls, then spin until the slot ends,
// so the ring buffers see a steady stream rather than one burst.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

// Returns the number of calls made: n, or fewer if `deadline` passed first.
static long getpid_flat_out(long n, double deadline) {
  long done = 0;
  while (done < n) {
    for (long i = 0; i < 1000 && done < n; i++, done++) syscall(SYS_getpid);
    if (now_s() > deadline) break;
  }
  return done;
}

static long getpid_paced(long n, long rate, double deadline) {
  const double slot = 1e-3;
  long per_slot = rate / 1000 > 0 ? rate / 1000 : 1;
  double next = now_s() + slot;
  long done = 0;
  while (done < n && now_s() < deadline) {
    for (long i = 0; i < per_slot && done < n; i++, done++) syscall(SYS_getpid);
    while (now_s() < next) {
    }
    next += slot;
  }
  return done;
}

static void openat_loop(long n) {
  for (long i = 0; i < n; i++) {
    int fd = syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY);
    if (fd >= 0) close(fd);
  }
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: load getpid N [RATE [SECONDS]] | load openat N\n");
    return 2;
  }
  long n = atol(argv[2]);
  long rate = argc > 3 ? atol(argv[3]) : 0;
  double limit = argc > 4 ? atof(argv[4]) : 1e9;
  double start = now_s();
  if (strcmp(argv[1], "getpid") == 0) {
    n = rate > 0 ? getpid_paced(n, rate, start + limit) : getpid_flat_out(n, start + limit);
  } else if (strcmp(argv[1], "openat") == 0) {
    openat_loop(n);
  } else {
    fprintf(stderr, "load: unknown workload '%s'\n", argv[1]);
    return 2;
  }
  double elapsed = now_s() - start;
  printf("calls=%ld seconds=%.6f rate=%.0f\n", n, elapsed, n / elapsed);
  return 0;
}
