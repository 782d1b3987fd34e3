/* btc_nofp_workload: the call chain main -> funcA -> funcB -> funcC -> funcD, built without frame
 * pointers (see CMakeLists.txt), for dw_ustack, which unwinds through .eh_frame instead.
 *   btc_nofp_workload [N]   runs the chain N times (default 1)
 * funcB keeps a variable-length array, so the compiler gives it an rbp-based frame: the unwinder
 * meets both kinds of rows (CFA from rsp and from rbp). No call is a tail call (each result is
 * used after it returns), so every function keeps its frame. */
#include <stdlib.h>

static volatile long sink;

__attribute__((noinline)) long funcD(long x) {
  sink += x;
  return sink * 3;
}

__attribute__((noinline)) long funcC(long x) {
  long r = funcD(x + 1);
  sink += r;
  return r + x;
}

__attribute__((noinline)) long funcB(long x) {
  volatile char buf[x + 8];
  buf[0] = (char)x;
  long r = funcC(x + buf[0]);
  sink += r;
  return r + buf[x];
}

__attribute__((noinline)) long funcA(long x) {
  long r = funcB(x + 1);
  sink += r;
  return r * 2;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 1;
  long total = 0;
  for (long i = 0; i < n; i++) total += funcA(i);
  sink += total;
  return 0;
}
