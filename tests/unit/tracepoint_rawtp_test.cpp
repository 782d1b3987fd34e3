// Tracepoints whose body does not read the record run as their raw tracepoint
// (check/tracepoint_rawtp.h). Checked against the build host's kernel BTF.
#include "check/tracepoint_rawtp.h"

#include <gtest/gtest.h>

#include "check_test_util.h"
#include "emit/bpf_emitter.h"
#include "emit/host_emitter.h"

namespace btc {
namespace {

TEST(TracepointRawtp, ABodyWithoutArgsRunsAtTheRawTracepoint) {
  auto c = testing::check_with_host_btf(
      "tracepoint:sched:sched_process_exec { @[comm, probe] = count(); printf(\"%s\\n\", probe); }");
  ASSERT_EQ(c->info.probes.size(), 1u);
  const ProbeTarget &t = c->info.probes[0];
  EXPECT_EQ(t.kind, ProbeKind::Tracepoint);  // `probe` and probetype stay the tracepoint's
  EXPECT_EQ(t.raw_tracepoint, "sched_process_exec");
  EXPECT_FALSE(t.syscall_folded());
  EXPECT_FALSE(t.tracepoint.has_value());
  std::string bpf = emit_bpf_c(c->prog, c->info, testing::host_btf(), "t.bt", "t.bpf.c");
  EXPECT_TRUE(testing::has(bpf, "SEC(\"raw_tp\")\nint probe_0(__u64 *ctx)"));
  EXPECT_TRUE(testing::has(bpf, "\"tracepoint:sched:sched_process_exec\""));
  EXPECT_FALSE(testing::has(bpf, "trace_event_raw_sched_process_exec"));  // no record type needed
  std::string host = emit_host_cpp(c->info, HostInputs{});
  EXPECT_TRUE(testing::has(host,
                           "BTC_PROBE_RAWTP, \"tracepoint:sched:sched_process_exec\", nullptr, "
                           "\"sched_process_exec\""))
      << host;
}

TEST(TracepointRawtp, ArgsKstackAndSyscallsKeepThePerfEvent) {
  for (const char *script : {
           "tracepoint:sched:sched_process_exec { @[args.pid] = count(); }",  // reads the record
           "tracepoint:sched:sched_process_exec { @[kstack] = count(); }",    // frames would differ
           "tracepoint:sched:sched_process_exec { @[kstack(3)] = count(); }",
           "tracepoint:syscalls:sys_enter_openat { @[comm] = count(); }",  // no raw tracepoint of its own
       }) {
    auto c = testing::check_with_host_btf(script);
    ASSERT_EQ(c->info.probes.size(), 1u) << script;
    EXPECT_EQ(c->info.probes[0].raw_tracepoint, "") << script;
    std::string bpf = emit_bpf_c(c->prog, c->info, testing::host_btf(), "t.bt", "t.bpf.c");
    EXPECT_TRUE(testing::has(bpf, "SEC(\"tracepoint/")) << script;
  }
  // ustack is the task's user stack either way.
  auto ustack = testing::check_with_host_btf("tracepoint:sched:sched_process_exec { @[ustack] = count(); }");
  EXPECT_EQ(ustack->info.probes[0].raw_tracepoint, "sched_process_exec");
}

TEST(TracepointRawtp, WithoutKernelBtfNothingChanges) {
  std::vector<ProbeTarget> probes(1);
  probes[0].kind = ProbeKind::Tracepoint;
  probes[0].target = "sched";
  probes[0].func = "sched_process_exec";
  run_tracepoints_as_raw(&probes, nullptr);
  EXPECT_EQ(probes[0].raw_tracepoint, "");
}

}  // namespace
}  // namespace btc
