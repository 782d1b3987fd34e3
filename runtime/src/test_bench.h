// --test and --bench: running a script's test: and bench: probes as bpftrace does (its test
// and bench modes). Reached only through btc_tool.test_bench (&btc_test_bench_functions), so
// that tools without such probes do not link this code.
//
// Both modes load the object, run BEGIN, then each probe of the mode in script order by
// BPF_PROG_TEST_RUN of its XDP program (nothing is attached), then END; maps are not printed.
//   --test   a test passes when it returns 0 and neither calls exit() with a non-zero code nor
//            reports an error; its output is shown only when it fails. Exit code 1 when one failed.
//   --bench  each bench runs repeatedly until the runs take a millisecond or more; the table
//            shows its average run time. A bench returning non-zero skips itself.
#ifndef BTC_RT_TEST_BENCH_H
#define BTC_RT_TEST_BENCH_H

#include "btc/abi.h"
#include "cli.h"

namespace btc::rt {

// What btc_test_bench.run's opaque `run` points at.
struct TestBenchRun {
  const btc_params *params;
  const CliOptions *options;
};

}  // namespace btc::rt

#endif
