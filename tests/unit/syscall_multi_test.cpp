// Syscall tracepoint globs folded into one raw tracepoint program (check/syscall_multi.h), and
// the system call numbers they are told apart by (check/syscall_numbers.h). Checked against the
// build host's kernel BTF, which lists its tracepoints.
#include "check/syscall_multi.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "check/syscall_numbers.h"
#include "check_test_util.h"
#include "emit/bpf_emitter.h"
#include "emit/host_emitter.h"

namespace btc {
namespace {

const ProbeTarget::Match *match_named(const ProbeTarget &t, const std::string &func) {
  auto it = std::find_if(t.multi.begin(), t.multi.end(), [&](const auto &m) { return m.func == func; });
  return it == t.multi.end() ? nullptr : &*it;
}

TEST(SyscallNumbers, TableNamesAndTracepointNames) {
  EXPECT_EQ(syscall_number("read"), 0u);
  EXPECT_EQ(syscall_number("getpid"), 39u);
  EXPECT_EQ(syscall_number("openat"), 257u);
  // Tracepoints named after the kernel function, not the table's name of the call.
  EXPECT_EQ(syscall_number("newuname"), 63u);
  EXPECT_EQ(syscall_number("newstat"), 4u);
  EXPECT_EQ(syscall_number("newfstatat"), 262u);
  EXPECT_EQ(syscall_number("umount"), 166u);
  EXPECT_EQ(syscall_number("sendfile64"), 40u);
  EXPECT_EQ(syscall_number("uprobe"), 336u);
  EXPECT_EQ(syscall_number("file_setattr"), 469u);
  EXPECT_EQ(syscall_number("no_such_call"), std::nullopt);
  EXPECT_EQ(syscall_number(""), std::nullopt);
}

TEST(SyscallMulti, AGlobOfManyCallsIsOneProgramPerRawTracepoint) {
  auto c = testing::check_with_host_btf("tracepoint:syscalls:sys_* { @[probe] = count(); } BEGIN { }");
  ASSERT_EQ(c->info.probes.size(), 3u);
  const ProbeTarget &enter = c->info.probes[0], &exit = c->info.probes[1];
  EXPECT_EQ(enter.raw_tracepoint, "sys_enter");
  EXPECT_EQ(exit.raw_tracepoint, "sys_exit");
  for (const ProbeTarget *t : {&enter, &exit}) {
    EXPECT_EQ(t->spec, "tracepoint:syscalls:sys_*");
    EXPECT_GE(t->multi.size(), 300u);
    EXPECT_FALSE(t->tracepoint.has_value());
  }
  const ProbeTarget::Match *getpid = match_named(enter, "sys_enter_getpid");
  ASSERT_NE(getpid, nullptr);
  EXPECT_EQ(getpid->spec, "tracepoint:syscalls:sys_enter_getpid");
  EXPECT_EQ(getpid->syscall_nr, 39u);
  const ProbeTarget::Match *uname = match_named(exit, "sys_exit_newuname");
  ASSERT_NE(uname, nullptr);
  EXPECT_EQ(uname->syscall_nr, 63u);
  EXPECT_EQ(c->info.probes[2].kind, ProbeKind::Begin);
  EXPECT_EQ(c->info.probes[2].prog_name, "probe_2");
}

TEST(SyscallMulti, FewCallsArgsAndCtxKeepAPerfEventEach) {
  auto few = testing::check_with_host_btf("tracepoint:syscalls:sys_enter_open* { @[probe] = count(); }");
  ASSERT_GE(few->info.probes.size(), 2u);
  ASSERT_LT(few->info.probes.size(), kMinSyscallGlob);
  for (const ProbeTarget &t : few->info.probes) EXPECT_TRUE(t.raw_tracepoint.empty() && t.multi.empty()) << t.spec;
  // Another category's glob is not folded (each of its events has a raw tracepoint of its own).
  auto other = testing::check_with_host_btf("tracepoint:sched:sched_* { @[probe] = count(); }");
  ASSERT_GE(other->info.probes.size(), 2u);
  for (const ProbeTarget &t : other->info.probes) EXPECT_FALSE(t.syscall_folded()) << t.spec;
}

// `args` is each call's own record: only the fields every call's record has at the raw
// tracepoint (__syscall_nr; at sys_exit also ret) let the matches share a program.
TEST(SyscallMulti, ArgsFieldsEveryCallHasAreShared) {
  auto ret = testing::check_with_host_btf(
      "tracepoint:syscalls:sys_exit_* /args.ret < 0/ { @[probe, args.__syscall_nr] = count(); }");
  ASSERT_EQ(ret->info.probes.size(), 1u);
  EXPECT_EQ(ret->info.probes[0].raw_tracepoint, "sys_exit");
  std::string bpf = emit_bpf_c(ret->prog, ret->info, testing::host_btf(), "t.bt", "t.bpf.c");
  EXPECT_TRUE(testing::has(bpf, "(((__s64)btc_args.ret)) < (__s64)((__s64)0ULL)"))
      << bpf.substr(bpf.find("int probe_0"), 600);
  EXPECT_TRUE(testing::has(bpf, "btc_args.__syscall_nr"));
  EXPECT_FALSE(testing::has(bpf, "ctx->"));
  auto nr = testing::check_with_host_btf("tracepoint:syscalls:sys_enter_* { @[args.__syscall_nr] = count(); }");
  ASSERT_EQ(nr->info.probes.size(), 1u);
  EXPECT_EQ(nr->info.probes[0].raw_tracepoint, "sys_enter");
}

// A field of one call's own arguments (here on 16 made-up matches of one glob) keeps a perf
// event per call.
TEST(SyscallMulti, ArgsOfOneCallKeepAPerfEventEach) {
  for (const char *field : {"filename", "ret"}) {
    auto c = std::make_unique<testing::Checked>();
    std::string script = std::string("tracepoint:syscalls:sys_enter_* { print(args.") + field + "); }";
    c->file = std::make_unique<SourceFile>("t.bt", script);
    c->diags = std::make_unique<Diagnostics>(*c->file);
    ASSERT_TRUE(parse_program(*c->file, *c->diags, &c->prog));
    const ast::Probe &probe = c->prog.probes[0];
    std::vector<ProbeTarget> targets;
    for (const char *call : {"read", "write", "open", "close", "stat", "fstat", "lstat", "poll", "lseek", "mmap",
                             "mprotect", "munmap", "brk", "ioctl", "pread64", "pwrite64"}) {
      ProbeTarget t;
      t.kind = ProbeKind::Tracepoint;
      t.target = "syscalls";
      t.func = std::string("sys_enter_") + call;
      t.spec = "tracepoint:syscalls:" + t.func;
      t.probe = &probe;
      t.attach = &probe.attach_points[0];
      t.uses_args = true;
      targets.push_back(t);
    }
    group_syscall_globs(&targets);
    EXPECT_EQ(targets.size(), 16u) << field;  // `ret` is there at sys_exit only
    for (const ProbeTarget &t : targets) EXPECT_TRUE(t.raw_tracepoint.empty()) << field;
  }
}

TEST(SyscallMulti, ProgramPicksTheMatchByNumberAndCountsEveryMatch) {
  auto c = testing::check_with_host_btf(
      "tracepoint:syscalls:sys_exit_* /probe == \"tracepoint:syscalls:sys_exit_getpid\"/ { exit(); }");
  ASSERT_EQ(c->info.probes.size(), 1u);
  const ProbeTarget &t = c->info.probes[0];
  size_t getpid = match_named(t, "sys_exit_getpid") - t.multi.data();
  std::string bpf = emit_bpf_c(c->prog, c->info, testing::host_btf(), "t.bt", "t.bpf.c");
  EXPECT_TRUE(testing::has(bpf, "SEC(\"raw_tp\")\nint probe_0(__u64 *ctx)")) << bpf.substr(0, 2000);
  EXPECT_TRUE(testing::has(bpf, "[39] = " + std::to_string(getpid + 1)));
  EXPECT_TRUE(testing::has(bpf, "if (!btc_syscall_match(ctx, 1, probe_0_syscalls, "));  // 1: at sys_exit
  std::string host = emit_host_cpp(c->info, HostInputs{});
  EXPECT_TRUE(testing::has(host, "BTC_PROBE_RAWTP, \"tracepoint:syscalls:sys_exit_*\", nullptr, \"sys_exit\"")) << host;
  EXPECT_TRUE(testing::has(host, ", " + std::to_string(t.multi.size()) + "},\n"));
}

}  // namespace
}  // namespace btc
