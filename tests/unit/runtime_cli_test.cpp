// The generated tool's command line: bpftrace's options (-p -c -o -f -B -q),
// -d/--duration, --check, --version, --help with the script's program
// options, and named parameters (--name=value) filled into btc_params from a
// hand-made tool table.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "child_process.h"
#include "dw_unwind.h"
#include "cli.h"
#include "output_sink.h"
#include "probe_check.h"
#include "runtime_cli_test_util.h"

using namespace btc::rt;

namespace {

const btc_param_desc kNamedParams[] = {
    {"count", BTC_PARAM_INT, 0, "10", ""},
    {"name", BTC_PARAM_STR, 1, "bash", "process name"},
    {"verbose", BTC_PARAM_BOOL, 2, "false", ""},
    {"limit", BTC_PARAM_INT, 3, nullptr, ""},
};

btc_tool make_tool(bool with_named = false) {
  btc_tool tool = {};
  tool.name = "mytool";
  tool.help = "Counts things.\n";
  tool.version = "1.2.3";
  tool.max_param = 1;
  if (with_named) {
    tool.named_params = kNamedParams;
    tool.nnamed_params = sizeof(kNamedParams) / sizeof(kNamedParams[0]);
  }
  return tool;
}

using rt_test::Captured;
using rt_test::run_cli;

TEST(RuntimeCliOptions, BpftraceOptionWords) {
  Captured c =
      run_cli(make_tool(), {"-p", "42", "-o", "/tmp/x.txt", "-f", "json", "-B", "none", "-q", "-d", "1.5", "7"});
  ASSERT_TRUE(c.result.run);
  const CliOptions &o = c.result.options;
  EXPECT_EQ(o.pid, 42u);
  EXPECT_EQ(o.output_path, "/tmp/x.txt");
  EXPECT_EQ(o.format, OutputFormat::kJson);
  EXPECT_EQ(o.buffer, BufferMode::kNone);
  EXPECT_TRUE(o.quiet);
  EXPECT_DOUBLE_EQ(o.duration_s, 1.5);
  EXPECT_FALSE(o.check);
  EXPECT_EQ(o.params, (std::vector<std::string>{"7"}));

  Captured joined = run_cli(make_tool(), {"-qfjson", "--duration=3", "--check", "-c", "/bin/true a b"});
  ASSERT_TRUE(joined.result.run);
  EXPECT_TRUE(joined.result.options.quiet);
  EXPECT_EQ(joined.result.options.format, OutputFormat::kJson);
  EXPECT_DOUBLE_EQ(joined.result.options.duration_s, 3);
  EXPECT_TRUE(joined.result.options.check);
  EXPECT_EQ(joined.result.options.command, "/bin/true a b");
}

TEST(RuntimeCliOptions, BadValuesAreErrors) {
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
           {"-f", "jsonx"},
           {"-B", "some"},
           {"-p", "abc"},
           {"-p", "0"},
           {"-p", "99999999"},
           {"-d", "0"},
           {"-d", "soon"},
           {"-c", "  "},
           {"-p", "5", "-c", "/bin/true"},
           {"-p"},
       }) {
    Captured c = run_cli(make_tool(), args);
    EXPECT_FALSE(c.result.run) << args[0];
    EXPECT_EQ(c.result.exit_code, 1) << args[0];
  }
}

TEST(RuntimeCliOptions, PidAndFormatErrorsAreBpftraceLogLines) {
  using rt_test::cli_stderr;
  EXPECT_EQ(cli_stderr(make_tool(), {"-p", "a1111"}), "ERROR: Failed to parse pid: invalid integer: a1111\n");
  EXPECT_EQ(cli_stderr(make_tool(), {"-p", "111a1"}), "ERROR: Failed to parse pid: invalid trailing bytes: 111a1\n");
  EXPECT_EQ(cli_stderr(make_tool(), {"-p", "5000000"}), "ERROR: Pid out of range: 5000000\n");
  EXPECT_EQ(cli_stderr(make_tool(), {"-f", "jsonx"}),
            "ERROR: Invalid output format \"jsonx\"\nValid formats: 'text', 'json'\n");
  Captured hex = run_cli(make_tool(), {"-p", "0x10"});  // any integer spelling bpftrace reads
  ASSERT_TRUE(hex.result.run);
  EXPECT_EQ(hex.result.options.pid, 16u);
}

// --dwarf-pid PID exists only in tools that take dw_ustack (btc_tool.dw_unwind set); elsewhere
// it is an undeclared program option, and --help does not list it.
TEST(RuntimeCliOptions, DwarfPidOnlyInDwUstackTools) {
  btc_tool tool = make_tool();
  btc_dw_unwind unwind = {};
  tool.dw_unwind = &unwind;
  Captured c = run_cli(tool, {"--dwarf-pid", "77", "-c", "/bin/true"});
  ASSERT_TRUE(c.result.run);
  EXPECT_EQ(c.result.options.dwarf_pid, 77u);
  EXPECT_EQ(rt_test::cli_stderr(tool, {"--dwarf-pid=x"}), "ERROR: Failed to parse pid: invalid integer: x\n");
  EXPECT_NE(run_cli(tool, {"--help"}).out.find("--dwarf-pid PID"), std::string::npos);

  Captured plain = run_cli(make_tool(), {"--dwarf-pid=77"});
  EXPECT_FALSE(plain.result.run);
  EXPECT_EQ(run_cli(make_tool(), {"--help"}).out.find("dwarf"), std::string::npos);
}

TEST(RuntimeNamedParams, UnknownNamesGetBpftracesErrorAndHint) {
  btc_tool tool = make_tool(true);
  EXPECT_EQ(rt_test::cli_stderr(tool, {"--", "--bb"}),
            "ERROR: unexpected program command line options: --bb\n"
            "HINT: expected program options: --count: --name: --verbose: --limit\n");
  EXPECT_EQ(unknown_program_options_text(tool, {"x", "y"}),
            "ERROR: unexpected program command line options: --x, --y\n"
            "HINT: expected program options: --count: --name: --verbose: --limit\n");
  // "-- --help" lists the program options with their descriptions, and is no error of its own.
  EXPECT_EQ(rt_test::cli_stderr(tool, {"--", "--help"}),
            "HINT: expected program options:\n--count\n--name: process name\n--verbose\n--limit\n");
  EXPECT_EQ(unknown_program_options_text(make_tool(), {"help"}), "HINT: no custom program options defined.\n");
  Captured c = run_cli(tool, {"--", "--help"});
  EXPECT_FALSE(c.result.run);
  EXPECT_EQ(c.result.exit_code, 1);
}

TEST(RuntimeCliOptions, VersionShowsScriptHashAndBuildKernel) {
  btc_tool tool = make_tool();
  tool.script_hash = "0123456789abcdef";
  tool.build_kernel = "6.18.0-test";
  Captured c = run_cli(tool, {"--version"});
  EXPECT_FALSE(c.result.run);
  EXPECT_EQ(c.result.exit_code, 0);
  EXPECT_EQ(c.out, "mytool (btc 1.2.3)\nscript hash: 0123456789abcdef\nbuilt on kernel: 6.18.0-test\n");
  EXPECT_EQ(run_cli(tool, {"-V"}).out, c.out);
}

TEST(RuntimeCliOptions, HelpListsOptionsAndProgramOptions) {
  Captured c = run_cli(make_tool(true), {"-h"});
  EXPECT_FALSE(c.result.run);
  EXPECT_EQ(c.result.exit_code, 0);
  EXPECT_EQ(c.out.rfind("usage: mytool [options] [$1] [--NAME=VALUE ...]\n\nCounts things.\n\noptions:\n", 0), 0u)
      << c.out;
  for (const char *word : {"-p PID", "-c CMD", "-o FILE", "-f FORMAT", "-B MODE", "-q", "-d, --duration SECONDS",
                           "--check", "-V, --version"})
    EXPECT_NE(c.out.find(word), std::string::npos) << word;
  EXPECT_NE(c.out.find("\nprogram options:\n  --count=NUMBER           (default: 10)\n"), std::string::npos) << c.out;
  EXPECT_NE(c.out.find("  --name=TEXT              process name (default: bash)\n"), std::string::npos);
  EXPECT_NE(c.out.find("  --verbose[=BOOL]         (default: false)\n"), std::string::npos);
  EXPECT_NE(c.out.find("  --limit=NUMBER\n"), std::string::npos);
  EXPECT_EQ(run_cli(make_tool(), {"--help"}).out.find("program options"), std::string::npos);
}

TEST(RuntimeNamedParams, DefaultsFillEverySlot) {
  btc_tool tool = make_tool(true);
  Captured c = run_cli(tool, {});
  ASSERT_TRUE(c.result.run);
  btc_params params = {};
  std::string error;
  ASSERT_TRUE(fill_named_params(tool, c.result.options, params, error)) << error;
  EXPECT_EQ(params.named_int[0], 10);
  EXPECT_STREQ(params.named_str[1], "bash");
  EXPECT_EQ(params.named_int[2], 0);
  EXPECT_EQ(params.named_int[3], 0);
}

TEST(RuntimeNamedParams, CommandLineValues) {
  btc_tool tool = make_tool(true);
  Captured c = run_cli(tool, {"--count=0x20", "5", "--name=zsh", "--", "--verbose", "--limit=-3", "--count=7"});
  ASSERT_TRUE(c.result.run);
  EXPECT_EQ(c.result.options.params, (std::vector<std::string>{"5"}));
  btc_params params = {};
  std::string error;
  ASSERT_TRUE(fill_named_params(tool, c.result.options, params, error)) << error;
  EXPECT_EQ(params.named_int[0], 7);  // the last one wins
  EXPECT_STREQ(params.named_str[1], "zsh");
  EXPECT_EQ(params.named_int[2], 1);
  EXPECT_EQ(params.named_int[3], -3);

  for (const char *off : {"--verbose=off", "--verbose=FALSE", "--verbose=0", "--verbose=no"}) {
    Captured b = run_cli(tool, {off});
    btc_params p = {};
    ASSERT_TRUE(fill_named_params(tool, b.result.options, p, error)) << off;
    EXPECT_EQ(p.named_int[2], 0) << off;
  }
}

TEST(RuntimeNamedParams, UnknownNamesAreErrors) {
  Captured c = run_cli(make_tool(true), {"--cuont=3"});
  EXPECT_FALSE(c.result.run);
  EXPECT_EQ(c.result.exit_code, 1);
  Captured none = run_cli(make_tool(false), {"--", "--x=1"});
  EXPECT_FALSE(none.result.run);
  EXPECT_EQ(none.result.exit_code, 1);
}

TEST(RuntimeNamedParams, ValuesMustSuitTheKind) {
  btc_tool tool = make_tool(true);
  struct Bad {
    std::vector<std::string> args;
    std::string message;
  };
  for (const Bad &bad : std::vector<Bad>{
           {{"--count=many"}, "program command line option --count invalid integer (value: many)"},
           {{"--count=12x"}, "program command line option --count invalid trailing bytes (value: 12x)"},
           {{"--count=99999999999999999999"},
            "program command line option --count value is out of range (value: 99999999999999999999)"},
           {{"--count"}, "program command line option --count expects an integer (value: true)"},
           {{"--name"}, "program command line option --name expects a string (value: true)"},
           {{"--verbose=maybe"},
            "program command line option --verbose expects a boolean (e.g. 'true') (value: maybe)"},
           {{"--name=" + std::string(BTC_PARAM_STR_SIZE, 'x')}, "program command line option --name is too long"},
       }) {
    Captured c = run_cli(tool, bad.args);
    ASSERT_TRUE(c.result.run);
    btc_params params = {};
    std::string error;
    EXPECT_FALSE(fill_named_params(tool, c.result.options, params, error)) << bad.args[0];
    EXPECT_EQ(error.rfind(bad.message, 0), 0u) << error;
  }
}

TEST(RuntimeNamedParams, SlotsBeyondTheParamsAreRejected) {
  const btc_param_desc wide[] = {{"x", BTC_PARAM_INT, BTC_MAX_PARAMS, "1", ""}};
  btc_tool tool = make_tool();
  tool.named_params = wide;
  tool.nnamed_params = 1;
  CliOptions options;
  btc_params params = {};
  std::string error;
  EXPECT_FALSE(fill_named_params(tool, options, params, error));
}

// $1 and $3 are read as integers, $2 only as str($2).
TEST(RuntimePositionalParams, IntegerParametersMustBeNumbers) {
  btc_tool tool = make_tool();
  tool.max_param = 3;
  tool.int_params = 0b101;
  CliOptions options;
  std::string error;
  for (std::vector<std::string> good : {std::vector<std::string>{"7", "text", "-3"}, {"0x1f", "", "1_000"}, {"2ms"},
                                        {"", "x", ""}, {}}) {
    options.params = good;
    EXPECT_TRUE(check_int_params(tool, options, error)) << error;
  }
  options.params = {"pos1", "7"};
  EXPECT_FALSE(check_int_params(tool, options, error));
  EXPECT_EQ(error, "$1 is 'pos1', not a number: the script uses $1 as an integer (use str($1) for text)");
  options.params = {"1", "2", "3x"};
  EXPECT_FALSE(check_int_params(tool, options, error));
  EXPECT_EQ(error.rfind("$3 is '3x', not a number", 0), 0u) << error;
  options.params = {"1", "2", "99999999999999999999"};  // too large for bpftrace's integers too
  EXPECT_FALSE(check_int_params(tool, options, error));
}

// Integer parameters that are empty or not given read as 0; the tool names them for its warning.
TEST(RuntimePositionalParams, EmptyIntegerParametersAreNamedForTheWarning) {
  btc_tool tool = make_tool();
  tool.int_params = 0b1011;  // $1, $2 and $4 as integers; $3 only as text
  CliOptions options;
  options.params = {"5", "", ""};
  EXPECT_EQ(empty_int_params(tool, options), (std::vector<std::string>{"$2", "$4"}));
  options.params = {"", "1", "", "2"};
  EXPECT_EQ(empty_int_params(tool, options), (std::vector<std::string>{"$1"}));
  options.params = {};
  EXPECT_EQ(empty_int_params(tool, options), (std::vector<std::string>{"$1", "$2", "$4"}));
  tool.int_params = 0;
  EXPECT_TRUE(empty_int_params(tool, options).empty());
}

TEST(RuntimeOutputSink, BufferModes) {
  BufferMode mode = BufferMode::kAuto;
  EXPECT_TRUE(parse_buffer_mode("line", mode));
  EXPECT_EQ(mode, BufferMode::kLine);
  EXPECT_TRUE(parse_buffer_mode("full", mode));
  EXPECT_EQ(mode, BufferMode::kFull);
  EXPECT_TRUE(parse_buffer_mode("none", mode));
  EXPECT_EQ(mode, BufferMode::kNone);
  EXPECT_FALSE(parse_buffer_mode("auto", mode));
  OutputFormat format;
  EXPECT_TRUE(parse_output_format("json", format));
  EXPECT_EQ(format, OutputFormat::kJson);
  EXPECT_FALSE(parse_output_format("JSON", format));
}

std::string file_text(const std::string &path) {
  std::string text;
  if (FILE *f = fopen(path.c_str(), "r")) {
    char buf[256];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0) text.append(buf, n);
    fclose(f);
  }
  return text;
}

TEST(RuntimeOutputSink, FileOutputHonoursTheBufferMode) {
  std::string path = testing::TempDir() + "btc_sink_test.txt";
  std::string error;
  ASSERT_TRUE(open_output(path, BufferMode::kLine, error)) << error;
  write_output("partial");
  EXPECT_EQ(file_text(path), "");
  write_output(" line\nmore");
  EXPECT_EQ(file_text(path), "partial line\nmore");  // a newline flushes everything buffered
  close_output();

  ASSERT_TRUE(open_output(path, BufferMode::kFull, error)) << error;
  EXPECT_EQ(file_text(path), "");  // truncated
  write_output("a\nb\n");
  EXPECT_TRUE(flush_output_before_wait());
  EXPECT_EQ(file_text(path), "");  // -B full: only a full buffer or the end writes
  close_output();
  EXPECT_EQ(file_text(path), "a\nb\n");

  ASSERT_TRUE(open_output(path, BufferMode::kNone, error)) << error;
  write_output("x");
  EXPECT_EQ(file_text(path), "x");
  close_output();

  ASSERT_TRUE(open_output(path, BufferMode::kAuto, error)) << error;
  write_output("y\n");
  EXPECT_EQ(file_text(path), "");  // not a terminal: block-buffered ...
  EXPECT_TRUE(flush_output_before_wait());
  EXPECT_EQ(file_text(path), "y\n");  // ... but flushed before the tool waits
  close_output();
  EXPECT_FALSE(open_output("/nonexistent-dir/x", BufferMode::kAuto, error));
  EXPECT_NE(error.find("failed to open output file"), std::string::npos);
  remove(path.c_str());
}

TEST(RuntimeChildProcess, CommandWordsAndProgram) {
  EXPECT_EQ(split_command("  ls  -l\t/tmp "), (std::vector<std::string>{"ls", "-l", "/tmp"}));
  EXPECT_EQ(find_executable("sh").empty(), false);
  EXPECT_EQ(find_executable("/bin/sh"), "/bin/sh");
  EXPECT_EQ(find_executable("/no/such/program"), "");
  EXPECT_EQ(find_executable("no-such-program-btc"), "");
}

TEST(RuntimeChildProcess, WaitsUntilRunThenExits) {
  ChildProcess child;
  std::string error;
  ASSERT_TRUE(child.spawn("/bin/sh -c true", error)) << error;
  EXPECT_GT(child.pid(), 0);
  struct timespec wait = {0, 50 * 1000000L};
  nanosleep(&wait, nullptr);
  EXPECT_FALSE(child.exited());  // still waiting for run()
  ASSERT_TRUE(child.run(error)) << error;
  for (int i = 0; i < 200 && !child.exited(); i++) nanosleep(&wait, nullptr);
  EXPECT_TRUE(child.exited());
}

TEST(RuntimeChildProcess, TerminateEndsAWaitingChild) {
  ChildProcess child;
  std::string error;
  ASSERT_TRUE(child.spawn("/bin/sleep 30", error)) << error;
  pid_t pid = child.pid();
  child.terminate();
  EXPECT_TRUE(child.exited());
  EXPECT_NE(kill(pid, 0), 0);
  ChildProcess missing;
  EXPECT_FALSE(missing.spawn("no-such-program-btc", error));
  EXPECT_NE(error.find("does not exist or is not executable"), std::string::npos) << error;
}

TEST(RuntimeProbeCheck, ReportLines) {
  EXPECT_EQ(format_probe_report({"BEGIN", ProbeStatus::kOk, ""}), "BEGIN: OK\n");
  EXPECT_EQ(format_probe_report({"kprobe:f", ProbeStatus::kMissing, "no kprobes"}), "kprobe:f: missing: no kprobes\n");
  EXPECT_EQ(format_probe_report({"tracepoint:a:b", ProbeStatus::kRejected, "a.bt:3: bad"}),
            "tracepoint:a:b: rejected: a.bt:3: bad\n");
}

TEST(RuntimeProbeCheck, UprobeTargetsAreLookedUpInTheElfSymbols) {
  btc_probe_desc probe = {};
  probe.kind = BTC_PROBE_UPROBE;
  probe.target = "/bin/sh";
  std::string reason;
  probe.target = "/proc/self/exe";  // this test binary, with its symbol table
  probe.func = "main";
  EXPECT_TRUE(probe_target_exists(probe, reason)) << reason;
  probe.func = "no_such_function_btc";
  EXPECT_FALSE(probe_target_exists(probe, reason));
  EXPECT_NE(reason.find("not found"), std::string::npos) << reason;
  probe.target = "/no/such/binary";
  EXPECT_FALSE(probe_target_exists(probe, reason));
  probe.kind = BTC_PROBE_BEGIN;
  EXPECT_TRUE(probe_target_exists(probe, reason));
}

}  // namespace
