// bpftrace v0.26 config keys and the builtins and small functions that came with them: checker
// rules, what reaches the emitters, and the runtime's kallsyms and passwd lookups.
#include <gtest/gtest.h>

#include "check/config_keys.h"
#include "check_test_util.h"
#include "emit/bpf_emitter.h"
#include "emit/host_emitter.h"
#include "host_facts.h"

namespace btc {
namespace {

using testing::check;

bool has(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

TEST(ConfigKeys, EveryBpftraceKeyIsAcceptedAlsoAsItsEnvironmentName) {
  auto c = check(
      "config = { on_stack_limit = 16; BPFTRACE_STACK_MODE = perf; show_debug_info = false; log_size = 0x100;"
      " lazy_symbolication = 0; cache_user_symbols = PER_PROGRAM; unstable_dw_ustack = enable; max_probes = 5;"
      " perf_rb_pages = 3; str_trunc_trailer = \"~\"; license = \"GPL v2\"; missing_probes = warn }"
      " begin { exit(); }");
  ASSERT_TRUE(c->ok) << c->errors();
  const auto &cfg = c->info.config;
  EXPECT_EQ(cfg.stack_mode, 1u);
  EXPECT_EQ(cfg.license, "GPL v2");
  EXPECT_EQ(cfg.perf_rb_pages, 3u);
  EXPECT_EQ(cfg.max_probes, 5u);
  EXPECT_EQ(cfg.missing_probes, 1u);
  EXPECT_EQ(cfg.str_trunc_trailer, "~");
  EXPECT_EQ(cfg.settings.at("log_size"), "256");
  EXPECT_EQ(cfg.settings.at("cache_user_symbols"), "per_program");
  std::string bpf = emit_bpf_c(c->prog, c->info, nullptr, "t.bt", "t.bpf.c");
  EXPECT_TRUE(has(bpf, "#define BTC_RINGBUF_PAGES 4\n")) << "3 pages round up to a power of two";
  EXPECT_TRUE(has(bpf, "#define BTC_LICENSE \"GPL v2\"\n"));
  EXPECT_TRUE(has(emit_host_cpp(c->info, HostInputs{}), "\"~\""));
}

TEST(ConfigKeys, BadKeysAndValuesGetBpftracesMessages) {
  auto unknown = check("config = { bad_config = raw } begin {}");
  EXPECT_EQ(unknown->first_error(), "bad_config: not a known configuration option");
  EXPECT_EQ(check("config = { vmlinux = x } begin {}")->first_error(),
            "vmlinux: can only be set as an environment variable");
  EXPECT_EQ(check("config = { log_size = lots } begin {}")->first_error(), "log_size: expecting a number, got lots");
  EXPECT_EQ(check("config = { cpp_demangle = maybe } begin {}")->first_error(),
            "cpp_demangle: Invalid bool value: valid values are true, false, 1 or 0.");
  EXPECT_TRUE(has(check("config = { license = \"Potato\" } begin {}")->first_error(),
                  "Invalid value for license. Found: Potato. Valid values: Dual MIT/GPL, Dual BSD/GPL,"));
  EXPECT_EQ(check("config = { unstable_tseries = sometimes } begin {}")->first_error(),
            "unstable_tseries: Invalid value for unstable config: valid values are enable, warn, and error.");
}

TEST(ConfigKeys, DeprecatedAndRenamedKeysWarn) {
  auto c = check("config = { symbol_source = dwarf; strlen = 8 } begin {}");
  ASSERT_TRUE(c->ok) << c->errors();
  ASSERT_EQ(c->diags->all().size(), 2u);
  EXPECT_EQ(c->diags->all()[0].message, "symbol_source is deprecated and has no effect");
  EXPECT_EQ(c->diags->all()[1].message, "strlen has been renamed, please use max_strlen");
  EXPECT_EQ(c->info.config.max_strlen, 8u);
}

TEST(ConfigKeys, StackModeIsTheDefaultOfKstackAndUstack) {
  auto c = check("config = { stack_mode = raw } begin { @a[kstack] = 1; @b[ustack(perf)] = 1; @c[kstack(3)] = 1; }");
  ASSERT_TRUE(c->ok) << c->errors();
  EXPECT_EQ(c->info.map("@a").keys[0].hist_bits, 2);
  EXPECT_EQ(c->info.map("@b").keys[0].hist_bits, 1);
  EXPECT_EQ(c->info.map("@c").keys[0].hist_bits, 2);
}

TEST(ConfigKeys, BuildIdStackModeIsForUserStacksOnly) {
  auto c =
      check("config = { stack_mode = build_id } begin { @a[ustack] = 1; @b[kstack] = 1; @c[ustack(raw, 3)] = 1; }");
  ASSERT_TRUE(c->ok) << c->errors();
  EXPECT_EQ(c->info.map("@a").keys[0].hist_bits, BTC_STACK_BUILD_ID);
  EXPECT_EQ(c->info.map("@b").keys[0].hist_bits, BTC_STACK_RAW) << "kstack falls back to raw";
  EXPECT_EQ(c->info.map("@c").keys[0].hist_bits, BTC_STACK_RAW);
  ASSERT_EQ(c->diags->all().size(), 1u);
  EXPECT_EQ(c->diags->all()[0].message,
            "'build_id' stack mode can only be used for ustack. Falling back to 'raw' mode.");
  std::string bpf = emit_bpf_c(c->prog, c->info, nullptr, "t.bt", "t.bpf.c");
  EXPECT_TRUE(has(bpf, "#define BTC_BUILD_ID_STACKS 1\n"));
  EXPECT_TRUE(has(bpf, "bpf_get_stackid(ctx, &btc_build_id_stacks, BPF_F_USER_STACK)"));
  EXPECT_TRUE(has(emit_host_cpp(c->info, HostInputs{}), "&btc_build_id_stack_functions"));
  EXPECT_EQ(check("begin { @k[kstack(build_id)] = 1; }")->first_error(),
            "'build_id' stack mode can only be used for ustack");
  EXPECT_EQ(check("begin { $n = len(ustack(build_id)); }")->first_error(),
            "btc does not support len() of a build_id stack");
}

TEST(ConfigKeys, UserSymbolCacheReachesTheToolWhenItShowsUserSymbols) {
  auto per_program = check("config = { cache_user_symbols = PER_PROGRAM } begin { @[ustack] = 1; }");
  ASSERT_TRUE(per_program->ok) << per_program->errors();
  std::string host = emit_host_cpp(per_program->info, HostInputs{});
  EXPECT_TRUE(has(host, "&btc_user_symbol_cache_functions"));
  EXPECT_TRUE(has(host, "BTC_USYMS_PER_PROGRAM"));
  auto none = check("begin { @[kstack] = 1; }");
  ASSERT_TRUE(none->ok) << none->errors();
  host = emit_host_cpp(none->info, HostInputs{});
  EXPECT_FALSE(has(host, "&btc_user_symbol_cache_functions")) << "no user symbols: not linked";
  EXPECT_FALSE(has(host, "&btc_build_id_stack_functions"));
  EXPECT_TRUE(has(host, "BTC_USYMS_DEFAULT"));
}

TEST(ConfigKeys, ProgramLimits) {
  auto c = check("config = { max_bpf_progs = 1 } begin {} end {}");
  EXPECT_EQ(c->first_error(),
            "Your program is trying to generate more than 2 BPF programs, which exceeds the current limit of 1");
}

// max_probes counts the probes bpftrace attaches: each match, but a uprobe glob's matches in one
// binary as one (uprobe_multi); what the tool attaches by itself is told through build_time_probes.
TEST(ConfigKeys, MaxProbesCountsAttachPoints) {
  auto c = check("config = { max_probes = 2 } begin {} end {} interval:s:1 {}");
  EXPECT_EQ(c->first_error(), "Can't attach to 3 probes because it exceeds the current limit of 2 probes.");
  const std::string bin = BTC_DWARF_FIXTURE;
  auto glob = check("config = { max_probes = 2 } begin {} uprobe:" + bin + ":fixture_s* {}");
  ASSERT_TRUE(glob->ok) << glob->errors();  // fixture_s* matches 3 functions
  EXPECT_EQ(glob->info.build_time_probes, 2u);
  auto twice = check("config = { max_probes = 1 } uprobe:" + bin + ":fixture_s*, uretprobe:" + bin + ":fixture_s* {}");
  EXPECT_EQ(twice->first_error(), "Can't attach to 2 probes because it exceeds the current limit of 1 probes.");
  auto at_run_time = check("config = { max_probes = 1 } usdt:*:prov:na* {}");
  ASSERT_TRUE(at_run_time->ok) << at_run_time->errors();
  EXPECT_EQ(at_run_time->info.build_time_probes, 0u);
  std::string host = emit_host_cpp(at_run_time->info, HostInputs{});
  EXPECT_NE(host.find("1ULL, 0ULL,"), std::string::npos) << "max_probes, build_time_probes";
}

TEST(ConfigRecord, FieldsFoldToTheSettings) {
  auto c = check(
      "config = { max_strlen = 32 } begin { printf(\"%d %s %d\\n\", config.max_strlen, config().stack_mode,"
      " __builtin_config.cpp_demangle); }");
  ASSERT_TRUE(c->ok) << c->errors();
  const auto &args = c->info.printfs[0].args;
  EXPECT_TRUE(args[0].is_int());
  EXPECT_EQ(args[1].kind, TypeKind::String);
  EXPECT_EQ(args[2].kind, TypeKind::Bool);
  EXPECT_EQ(check("begin { print(config.nope); }")->first_error(), "config has no field 'nope'");
  auto v = config_value(ProgramInfo::Config{}, "on_stack_limit");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->number, 32u);
}

TEST(Builtins, CallFormsAndBuiltinSpellings) {
  auto c = check(
      "begin { printf(\"%d %d %d %d %s %d %s\\n\", pid(), tid(init), pid(curr_ns), __builtin_ncpus, "
      "comm(), usermode(), __builtin_probetype); }");
  ASSERT_TRUE(c->ok) << c->errors();
  EXPECT_EQ(c->info.printfs[0].args[6].kind, TypeKind::String);
  std::string bpf = emit_bpf_c(c->prog, c->info, nullptr, "t.bt", "t.bpf.c");
  EXPECT_TRUE(has(bpf, "(btc_ns_pid_tgid() >> 32)")) << bpf;
  EXPECT_TRUE(has(bpf, "((__u32)bpf_get_current_pid_tgid())")) << "tid(init)";
  EXPECT_TRUE(has(bpf, "btc_params.ncpus"));
  EXPECT_EQ(check("begin { print(pid(other)); }")->first_error(), "pid() takes curr_ns or init");
}

TEST(Builtins, UsernameIsAUidPrintedByTheRuntime) {
  auto c = check("begin { printf(\"%s\\n\", username); @[username] = count(); }");
  ASSERT_TRUE(c->ok) << c->errors();
  EXPECT_EQ(to_string(c->info.printfs[0].args[0]), "username_t");
  EXPECT_TRUE(has(emit_host_cpp(c->info, HostInputs{}), "{BTC_T_USERNAME, 0, 8, 0}"));
  EXPECT_FALSE(check("begin { printf(\"%d\\n\", username); }")->ok);
}

// The C++ demangler is linked only into tools that print user symbols with cpp_demangle on.
TEST(ConfigKeys, CppDemangleLinksTheDemanglerOnlyWhenUserSymbolsArePrinted) {
  auto uses = check("uprobe:/bin/sh:main { @[ustack] = count(); }", testing::host_btf());
  ASSERT_TRUE(uses->ok) << uses->errors();
  EXPECT_TRUE(has(emit_host_cpp(uses->info, HostInputs{}), "btc_cxa_demangle,"));
  auto off =
      check("config = { cpp_demangle = false } uprobe:/bin/sh:main { @[ustack] = count(); }", testing::host_btf());
  ASSERT_TRUE(off->ok) << off->errors();
  EXPECT_FALSE(has(emit_host_cpp(off->info, HostInputs{}), "btc_cxa_demangle"));
  auto none = check("begin { @ = count(); }");
  ASSERT_TRUE(none->ok) << none->errors();
  EXPECT_FALSE(has(emit_host_cpp(none->info, HostInputs{}), "btc_cxa_demangle"));
}

TEST(Builtins, UsermodeNeedsRegistersOrTheToolsOwnContext) {
  EXPECT_TRUE(check("begin { print(usermode); } end { print(usermode); }")->ok);
  auto tp = check("tracepoint:syscalls:sys_enter_read { print(usermode); }", testing::host_btf());
  EXPECT_TRUE(
      has(tp->first_error(), "usermode can only be used in kprobe, uprobe, usdt, perf-event, begin and end probes"));
}

TEST(Functions, NsecsClocks) {
  auto c = check("begin { print(nsecs(monotonic) + nsecs(tai) + nsecs(sw_tai) + nsecs(boot) + nsecs()); }");
  ASSERT_TRUE(c->ok) << c->errors();
  std::string bpf = emit_bpf_c(c->prog, c->info, nullptr, "t.bt", "t.bpf.c");
  EXPECT_TRUE(has(bpf, "bpf_ktime_get_ns()"));
  EXPECT_TRUE(has(bpf, "bpf_ktime_get_tai_ns()"));
  EXPECT_TRUE(has(bpf, "btc_params.tai_offset_ns"));
  EXPECT_TRUE(has(check("begin { print(nsecs(lunar)); }")->first_error(), "Invalid timestamp mode: lunar"));
}

TEST(Functions, KaddrSymbolsGoToTheHostTable) {
  auto c = check("begin { print(kaddr(\"vfs_read\")); print(*kaddr(\"jiffies\")); print(kaddr(\"vfs_read\")); }");
  ASSERT_TRUE(c->ok) << c->errors();
  ASSERT_EQ(c->info.ksyms, (std::vector<std::string>{"vfs_read", "jiffies"}));
  EXPECT_TRUE(has(emit_host_cpp(c->info, HostInputs{}), "ksyms[] = {\"vfs_read\", \"jiffies\"}"));
  EXPECT_TRUE(has(emit_bpf_c(c->prog, c->info, nullptr, "t.bt", "t.bpf.c"), "btc_params.ksym_addr[1]"));
  EXPECT_TRUE(has(check("begin { $s = \"x\"; print(kaddr($s)); }")->first_error(), "string literal"));
}

TEST(Functions, KaddrCallsAreLocatedForTheToolsError) {
  HostInputs in;
  in.script_name = "k.bt";
  in.script_text = "begin {\n  print(kaddr(\"nope\") + kaddr(\"nope\"));\n}\n";
  auto c = check(in.script_text);
  ASSERT_TRUE(c->ok) << c->errors();
  ASSERT_EQ(c->info.ksym_ranges.size(), 1u);  // one slot, located at its first call
  EXPECT_TRUE(has(emit_host_cpp(c->info, in),
                  "ksym_sources[] = {{\"k.bt:2:9-22\", \"  print(kaddr(\\\"nope\\\") + kaddr(\\\"nope\\\"));\\n"
                  "        ~~~~~~~~~~~~~\\n\"}}"))
      << emit_host_cpp(c->info, in);
}

// A parameter read as an integer is marked for the tool's start-up check; str($N) is text.
TEST(Functions, PositionalParametersReadAsIntegers) {
  auto c = check("interval:s:$4 { print(($1, str($2), str($3 + 1), kaddr(str($5)))); @h = lhist(1, 0, 10, $6); }");
  ASSERT_TRUE(c->ok) << c->errors();
  EXPECT_EQ(c->info.int_params, 0b101001u);
  EXPECT_EQ(c->info.max_param, 6u);
}

TEST(Functions, DebugfAndStrstr) {
  auto c = check("begin { debugf(\"%s %d %x %lu\", \"a\", 1, 16, 2); print(strstr(\"ab\", \"b\")); }");
  ASSERT_TRUE(c->ok) << c->errors();
  std::string bpf = emit_bpf_c(c->prog, c->info, nullptr, "t.bt", "t.bpf.c");
  EXPECT_TRUE(has(bpf, "bpf_printk(\"%s %lld %llx %llu\"")) << bpf;
  EXPECT_TRUE(has(bpf, "btc_strstr("));
  EXPECT_FALSE(check("begin { $x = debugf(\"a\"); }")->ok);
  EXPECT_FALSE(check("begin { debugf(\"%d\", \"s\"); }")->ok);
  EXPECT_TRUE(has(check("begin { print(strstr(1, \"b\")); }")->first_error(), "strstr() needs strings"));
}

}  // namespace
}  // namespace btc

namespace btc::rt {
namespace {

TEST(HostFacts, KernelSymbolsByName) {
  const char *kallsyms =
      "ffffffff81000000 T _stext\n"
      "0000000000000000 T hidden\n"
      "ffffffffc0000010 t mod_fn\t[mymod]\n"
      "ffffffff81000100 T vfs_read\n"
      "ffffffff81000200 T vfs_read\n";
  EXPECT_EQ(find_kernel_symbol(kallsyms, "vfs_read"), 0xffffffff81000100ULL);
  EXPECT_EQ(find_kernel_symbol(kallsyms, "mod_fn"), 0xffffffffc0000010ULL);
  EXPECT_FALSE(find_kernel_symbol(kallsyms, "hidden"));
  EXPECT_FALSE(find_kernel_symbol(kallsyms, "vfs"));
}

TEST(HostFacts, UserNamesFromPasswd) {
  const char *passwd = "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534::/:/sbin/nologin\nbroken\n";
  EXPECT_EQ(user_name_in(passwd, 0), "root");
  EXPECT_EQ(user_name_in(passwd, 65534), "nobody");
  EXPECT_EQ(user_name_in(passwd, 1000), "");
}

}  // namespace
}  // namespace btc::rt
