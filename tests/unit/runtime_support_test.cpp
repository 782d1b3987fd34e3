// Runtime pieces around loading and running: command line, positional
// parameters, verifier log summaries, CPU lists, software events, field
// decoding and kernel symbols.
#include <gtest/gtest.h>

#include <cstdio>

#include "attach.h"
#include "cli.h"
#include "field_decode.h"
#include "ksyms.h"
#include "perf_event.h"
#include "runtime_cli_test_util.h"
#include "runtime_test_util.h"
#include "verifier_log.h"

using namespace btc::rt;
using rt_test::Bytes;
using rt_test::field;

namespace {

btc_tool make_tool(const char *help = "", uint32_t max_param = 0) {
  btc_tool tool = {};
  tool.name = "mytool";
  tool.help = help;
  tool.version = "1.2.3";
  tool.max_param = max_param;
  return tool;
}

using rt_test::Captured;
using rt_test::run_cli;

TEST(RuntimeCli, PositionalParameters) {
  btc_tool tool = make_tool();
  Captured c = run_cli(tool, {"10", "hello", "-5", "--", "-x"});
  ASSERT_TRUE(c.result.run);
  EXPECT_EQ(c.result.options.params, (std::vector<std::string>{"10", "hello", "-5", "-x"}));
}

TEST(RuntimeCli, HelpShowsNameHelpTextAndOptions) {
  btc_tool tool = make_tool("Traces open() calls.\n", 2);
  Captured c = run_cli(tool, {"--help"});
  EXPECT_FALSE(c.result.run);
  EXPECT_EQ(c.result.exit_code, 0);
  EXPECT_EQ(c.out.rfind("usage: mytool [options] [$1 ... $2]\n\nTraces open() calls.\n\noptions:\n", 0), 0u) << c.out;
  EXPECT_NE(c.out.find("-h, --help"), std::string::npos);
  EXPECT_NE(c.out.find("--version"), std::string::npos);

  Captured short_form = run_cli(make_tool(), {"-h"});
  EXPECT_FALSE(short_form.result.run);
  EXPECT_EQ(short_form.out.rfind("usage: mytool [options]\n\noptions:\n", 0), 0u) << short_form.out;
}

TEST(RuntimeCli, Version) {
  Captured c = run_cli(make_tool(), {"--version"});
  EXPECT_FALSE(c.result.run);
  EXPECT_EQ(c.result.exit_code, 0);
  EXPECT_EQ(c.out, "mytool (btc 1.2.3)\n");
}

TEST(RuntimeCli, UnknownOptionIsAnError) {
  Captured c = run_cli(make_tool(), {"--bogus"});
  EXPECT_FALSE(c.result.run);
  EXPECT_EQ(c.result.exit_code, 1);
  Captured s = run_cli(make_tool(), {"-z"});
  EXPECT_EQ(s.result.exit_code, 1);
  Captured v = run_cli(make_tool(), {"--help=yes"});
  EXPECT_EQ(v.result.exit_code, 1);
}

TEST(RuntimeCli, ParamIntegers) {
  int64_t v = -1;
  EXPECT_TRUE(parse_param_int("42", v));
  EXPECT_EQ(v, 42);
  EXPECT_TRUE(parse_param_int("-42", v));
  EXPECT_EQ(v, -42);
  EXPECT_TRUE(parse_param_int("0x10", v));
  EXPECT_EQ(v, 16);
  EXPECT_TRUE(parse_param_int("010", v));
  EXPECT_EQ(v, 8);
  EXPECT_TRUE(parse_param_int("0b101", v));
  EXPECT_EQ(v, 5);
  EXPECT_TRUE(parse_param_int("1_000", v));
  EXPECT_EQ(v, 1000);
  EXPECT_TRUE(parse_param_int("1e3", v));
  EXPECT_EQ(v, 1000);
  EXPECT_TRUE(parse_param_int("5ms", v));
  EXPECT_EQ(v, 5000000);
  EXPECT_TRUE(parse_param_int("-9223372036854775808", v));
  EXPECT_EQ(v, INT64_MIN);
  EXPECT_FALSE(parse_param_int("", v));
  EXPECT_FALSE(parse_param_int("abc", v));
  EXPECT_FALSE(parse_param_int("12abc", v));
  EXPECT_FALSE(parse_param_int("99999999999999999999", v));
  EXPECT_FALSE(parse_param_int("5000000000u", v));
}

TEST(RuntimeCli, FillParams) {
  CliOptions options;
  options.params = {"7", "bash", ""};
  btc_params params = {};
  std::string error;
  ASSERT_TRUE(fill_params(options, params, error)) << error;
  EXPECT_EQ(params.nparams, 3u);
  EXPECT_EQ(params.param_int[0], 7);
  EXPECT_STREQ(params.param_str[0], "7");
  EXPECT_EQ(params.param_int[1], 0);
  EXPECT_STREQ(params.param_str[1], "bash");
  EXPECT_STREQ(params.param_str[2], "");

  options.params = {std::string(BTC_PARAM_STR_SIZE, 'x')};
  EXPECT_FALSE(fill_params(options, params, error));
  options.params.assign(BTC_MAX_PARAMS + 1, "1");
  EXPECT_FALSE(fill_params(options, params, error));
}

const char kVerifierFailure[] =
    "libbpf: prog 'tp_sys_enter_openat_1': BPF program load failed: Permission denied\n"
    "libbpf: prog 'tp_sys_enter_openat_1': -- BEGIN PROG LOAD LOG --\n"
    "0: R1=ctx() R10=fp0\n"
    "; @x = *(u64 *)0; @ opensnoop.bt:12\n"
    "0: (b7) r1 = 0                        ; R1_w=0\n"
    "; printf(\"%d\\n\", $p->x); @ /home/me/opensnoop.bt:14\n"
    "1: (79) r2 = *(u64 *)(r1 +0)\n"
    "R1 invalid mem access 'scalar'\n"
    "processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n"
    "-- END PROG LOAD LOG --\n"
    "libbpf: prog 'tp_sys_enter_openat_1': failed to load: -13\n"
    "libbpf: failed to load object 'opensnoop'\n";

TEST(RuntimeVerifierLog, FindsFailedProgramAndLog) {
  LoadFailure f = find_load_failure(kVerifierFailure);
  EXPECT_EQ(f.program, "tp_sys_enter_openat_1");
  EXPECT_EQ(f.error, "Permission denied");
  EXPECT_EQ(f.verifier_log.rfind("0: R1=ctx() R10=fp0\n", 0), 0u);
  EXPECT_NE(f.verifier_log.find("R1 invalid mem access 'scalar'\n"), std::string::npos);
  EXPECT_EQ(f.verifier_log.find("END PROG LOAD LOG"), std::string::npos);
}

TEST(RuntimeVerifierLog, SummaryHasLastLocationAndError) {
  VerifierSummary s = summarize_verifier_log(find_load_failure(kVerifierFailure).verifier_log);
  EXPECT_EQ(s.location, "opensnoop.bt:14");
  EXPECT_EQ(s.error, "R1 invalid mem access 'scalar'");
}

TEST(RuntimeVerifierLog, NothingToFind) {
  LoadFailure f = find_load_failure("libbpf: map 'x': failed to create: Operation not permitted(-1)\n");
  EXPECT_TRUE(f.program.empty());
  EXPECT_EQ(last_libbpf_message("libbpf: a\nlibbpf: map 'x': failed to create\n"), "map 'x': failed to create");
  VerifierSummary s = summarize_verifier_log("");
  EXPECT_TRUE(s.location.empty());
  EXPECT_TRUE(s.error.empty());
}

TEST(RuntimeVerifierLog, UnresolvedKernelVariable) {
  std::string missing = unresolved_kernel_variable(
      "libbpf: extern (var ksym) 'process_counts': not found in kernel BTF\n"
      "libbpf: failed to load object 'tool'\n");
  EXPECT_EQ(missing,
            "this kernel has no variable 'process_counts' in its BTF (percpu_kaddr(\"process_counts\") needs it)");
  std::string retyped = unresolved_kernel_variable(
      "libbpf: extern (var ksym) 'runqueues': incompatible types, expected [5] struct rq, but kernel has [7] int\n");
  EXPECT_EQ(retyped.rfind("this kernel's variable 'runqueues' has another type", 0), 0u) << retyped;
  EXPECT_NE(retyped.find("but kernel has [7] int"), std::string::npos) << retyped;
  std::string no_address = unresolved_kernel_variable(
      "-- BEGIN PROG LOAD LOG --\n0: R1=ctx() R10=fp0\n"
      "ldimm64 failed to find the address for kernel symbol 'runqueues'.\n"
      "processed 0 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n"
      "-- END PROG LOAD LOG --\n");
  EXPECT_EQ(no_address.rfind("this kernel cannot give the address of variable 'runqueues'", 0), 0u) << no_address;
  EXPECT_NE(no_address.find("CONFIG_KALLSYMS_ALL"), std::string::npos) << no_address;
  EXPECT_EQ(unresolved_kernel_variable("libbpf: extern (kcfg) 'X': type is unsupported\n"), "");
  EXPECT_EQ(unresolved_kernel_variable(kVerifierFailure), "");
}

TEST(RuntimePerfEvent, CpuLists) {
  EXPECT_EQ(parse_cpu_list("0-3\n"), (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(parse_cpu_list("0,2,4-5"), (std::vector<int>{0, 2, 4, 5}));
  EXPECT_EQ(parse_cpu_list("7"), (std::vector<int>{7}));
  EXPECT_TRUE(parse_cpu_list("").empty());
  EXPECT_FALSE(online_cpus().empty());
}

TEST(RuntimePerfEvent, SoftwareEventsByNameAndAlias) {
  auto cs = find_software_event("cs");
  ASSERT_TRUE(cs.has_value());
  EXPECT_STREQ(cs->name, "context-switches");
  EXPECT_EQ(cs->default_period, 1000u);
  auto faults = find_software_event("page-faults");
  ASSERT_TRUE(faults.has_value());
  EXPECT_EQ(faults->default_period, 100u);
  EXPECT_TRUE(find_software_event("cpu-clock").has_value());
  EXPECT_TRUE(find_software_event("bpf-output").has_value());
  EXPECT_FALSE(find_software_event("cycles").has_value());
  EXPECT_FALSE(find_software_event("").has_value());
}

TEST(RuntimeAttach, BinariesFromPathAndLibraryDirectories) {
  std::string sh = resolve_binary("sh");
  EXPECT_EQ(sh.substr(sh.size() - 3), "/sh") << sh;
  EXPECT_EQ(resolve_binary("/no/such/dir/tool"), "/no/such/dir/tool");
  EXPECT_EQ(resolve_binary("no-such-binary-btc-test"), "");
  std::string libc = resolve_binary("libc");
  EXPECT_NE(libc.find("/libc.so."), std::string::npos) << libc;
}

TEST(RuntimeFields, IntegersOfEverySize) {
  Bytes b = Bytes().i8(-1).u8(200).i16(-300).i32(-5).i64(-6).u32(4000000000u);
  EXPECT_EQ(to_text(decode_field(field(BTC_T_INT, 0, 1), b.data.data())), "-1");
  EXPECT_EQ(to_text(decode_field(field(BTC_T_UINT, 1, 1), b.data.data())), "200");
  EXPECT_EQ(to_text(decode_field(field(BTC_T_INT, 2, 2), b.data.data())), "-300");
  EXPECT_EQ(to_text(decode_field(field(BTC_T_INT, 4, 4), b.data.data())), "-5");
  EXPECT_EQ(to_text(decode_field(field(BTC_T_INT, 8, 8), b.data.data())), "-6");
  EXPECT_EQ(to_text(decode_field(field(BTC_T_UINT, 16, 4), b.data.data())), "4000000000");
}

TEST(RuntimeFields, StringsBoolsBuffers) {
  Bytes b = Bytes().str("ab", 4).str("wxyz", 4).u8(1).u8(0).str("", 6).u64(3).str("hi\n", 8);
  EXPECT_EQ(to_text(decode_field(field(BTC_T_STR, 0, 4), b.data.data())), "ab");
  EXPECT_EQ(to_text(decode_field(field(BTC_T_STR, 4, 4), b.data.data())), "wxyz..");
  EXPECT_EQ(to_text(decode_field(field(BTC_T_BOOL, 8, 1), b.data.data())), "true");
  EXPECT_EQ(to_text(decode_field(field(BTC_T_BOOL, 9, 1), b.data.data())), "false");
  EXPECT_EQ(to_text(decode_field(field(BTC_T_BUF, 16, 16), b.data.data())), "hi\\x0a");  // u64 length, bytes
}

TEST(RuntimeFields, KeysAndTuples) {
  std::vector<btc_field> keys = {field(BTC_T_INT, 0, 4), field(BTC_T_STR, 4, 8)};
  btc_map_desc desc = {};
  desc.nkeys = 2;
  desc.keys = keys.data();
  Bytes b = Bytes().i32(-2).str("x", 8);
  EXPECT_EQ(to_text(decode_key(desc, b.data.data())), "(-2, x)");
  desc.nkeys = 1;
  EXPECT_EQ(to_text(decode_key(desc, b.data.data())), "-2");
}

TEST(RuntimeKsyms, NearestSymbolAtOrBelow) {
  KernelSymbols syms;
  syms.parse(
      "ffffffff81000000 T _stext\n"
      "ffffffff81000100 T do_one\n"
      "ffffffff81000200 t helper\t[mymod]\n"
      "0000000000000000 A zero\n");
  EXPECT_EQ(syms.resolve(0xffffffff81000100), "do_one");
  EXPECT_EQ(syms.resolve(0xffffffff810001ff), "do_one");
  EXPECT_EQ(syms.resolve(0xffffffff81000250), "helper");
  EXPECT_EQ(syms.resolve(0x1000), "0x1000");
  EXPECT_EQ(syms.resolve(0), "0");
}

}  // namespace
