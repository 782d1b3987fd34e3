// bpftrace stdlib functions btc implements as builtins (check/check_stdlib.cpp): the types the
// checker gives, what it records for the emitters and runtime, and its refusals.
#include <gtest/gtest.h>

#include "check_test_util.h"

namespace btc {
namespace {

using testing::check;
using testing::Checked;
using testing::expect_refusal;
using testing::Refusal;

// check() with btc --unsafe.
std::unique_ptr<Checked> check_unsafe(const std::string &text) {
  auto c = std::make_unique<Checked>();
  c->file = std::make_unique<SourceFile>("t.bt", text);
  c->diags = std::make_unique<Diagnostics>(*c->file);
  c->info.unsafe = true;
  if (!parse_program(*c->file, *c->diags, &c->prog) || !expand_macros(c->prog, *c->diags)) return c;
  c->ok = check_program(c->prog, nullptr, *c->diags, &c->info);
  return c;
}

TEST(StdlibFunctions, ValueTypes) {
  auto c = check(
      "BEGIN { printf(\"%s %d %d %s %d %d\\n\", str_concat(\"a\", \"b\"), strcap(\"abc\"), memcmp(\"a\", \"b\", 1), "
      "syscall_name(1), is_err(-1), cgroupid(\"/sys/fs/cgroup\")); }");
  ASSERT_TRUE(c->ok) << c->errors();
  const auto &args = c->info.printfs.at(0).args;
  ASSERT_EQ(args.size(), 6u);
  EXPECT_EQ(to_string(args[0]), "string[1024]");
  EXPECT_EQ(to_string(args[1]), "uint64");
  EXPECT_EQ(to_string(args[2]), "int32");
  EXPECT_EQ(to_string(args[3]), "string[64]");
  EXPECT_EQ(to_string(args[4]), "bool");
  EXPECT_EQ(to_string(args[5]), "uint64");
}

TEST(StdlibFunctions, StrcapIsTheStringTypeSize) {
  auto c = check("BEGIN { $a = \"hello\"; @x = strcap(\"abc\"); @y = strcap($a); }");
  ASSERT_TRUE(c->ok) << c->errors();
  std::vector<uint64_t> caps;
  for (const auto &s : c->prog.probes.at(0).body)
    if (s->kind == ast::StmtKind::Assign && s->expr->kind == ast::ExprKind::Call) caps.push_back(s->expr->uval);
  EXPECT_EQ(caps, (std::vector<uint64_t>{4, 6}));
}

TEST(StdlibFunctions, FindTypesTheVariableByTheMapValue) {
  auto c = check("BEGIN { @m[1] = \"apple\"; let $v; if (find(@m, 1, $v)) { print($v); } }");
  ASSERT_TRUE(c->ok) << c->errors();
  const auto &vars = c->info.var_types.begin()->second;
  ASSERT_TRUE(vars.count("$v"));
  EXPECT_TRUE(vars.at("$v").is_string());
}

TEST(StdlibFunctions, CgroupidPathsGetOneSlotEach) {
  auto c = check(
      "BEGIN { @a = cgroupid(\"/sys/fs/cgroup/a\"); @b = cgroupid(\"/sys/fs/cgroup/b\"); "
      "@c = cgroupid(\"/sys/fs/cgroup/a\"); @d = cgroupid(str($2)); }");
  ASSERT_TRUE(c->ok) << c->errors();
  EXPECT_EQ(c->info.cgroupid_paths, (std::vector<std::string>{"/sys/fs/cgroup/a", "/sys/fs/cgroup/b", "$2"}));
}

TEST(StdlibFunctions, SignalThreadNeedsUnsafeAndASignalingProbe) {
  EXPECT_TRUE(check_unsafe("profile:hz:99 { signal_thread(\"KILL\"); signal(\"SIGUSR1\"); }")->ok);
  EXPECT_TRUE(check_unsafe("profile:hz:99 { signal_thread(15); }")->ok);
  expect_refusal(*check("profile:hz:99 { signal_thread(15); }"),
                 Refusal{"", "signal_thread() is unsafe. To use you need the --unsafe flag", 17});
  expect_refusal(*check_unsafe("BEGIN { signal_thread(15); }"),
                 Refusal{"", "signal_thread() can not be used for this probetype special", 9});
  expect_refusal(
      *check_unsafe("profile:hz:99 { signal_thread(65); }"),
      Refusal{"", "signal_thread() accepts a string literal or an integer between 1 and 64 (inclusive)", 17});
  expect_refusal(*check_unsafe("profile:hz:99 { signal(\"NOPE\"); }"), Refusal{"", "unknown signal 'NOPE'", 24});
}

TEST(StdlibFunctions, Refusals) {
  const Refusal cases[] = {
      {"BEGIN { @x = str_concat(\"a\", 1); }", "string-like values must be either strings, arrays or pointers", 30},
      {"BEGIN { @x = strcap(1); }", "string-like values must be either strings, arrays or pointers", 21},
      {"BEGIN { @x = memcmp(\"a\", \"b\", -1); }", "memcmp() count must not be negative", 31},
      {"BEGIN { @m = 1; $v = 0; @x = find(@m, 1, $v); }", "call to find() expects a map with explicit keys", 35},
      {"BEGIN { @m[1] = 1; $v = 0; @x = find(@m[1], $v); }", "find() takes 3 arguments, got 2", 33},
      {"BEGIN { @m[1] = 1; @x = find(@m, 1, @v); }", "find() stores the value in a scratch variable", 37},
      {"BEGIN { @m[1] = 1; $v = \"s\"; @x = find(@m, 1, $v); }", "type mismatch for $v", 47},
      {"BEGIN { @x = syscall_name(\"read\"); }", "syscall_name() needs an integer, not string", 27},
      {"BEGIN { @x = is_err(\"p\"); }", "is_err() needs a pointer, not string", 21},
      {"BEGIN { @x = cgroupid(1); }", "cgroupid() needs a cgroup path as a string literal", 23},
      {"interval:s:1 { @x = path(0); }", "The path function can only be used with 'fentry', 'fexit', 'iter' probes",
       21},
  };
  for (const Refusal &r : cases) {
    SCOPED_TRACE(r.script);
    expect_refusal(*check(r.script), r);
  }
}

TEST(StdlibFunctions, PathInAnIteratorMarksATracingProgram) {
  const KernelBtf *btf = testing::host_btf();
  if (!btf) GTEST_SKIP() << "no kernel BTF";
  auto c = check("iter:task_file { printf(\"%s\\n\", path(ctx.file.f_path, 48)); }", btf);
  ASSERT_TRUE(c->ok) << c->errors();
  EXPECT_EQ(to_string(c->info.printfs.at(0).args.at(0)), "string[48]");
  EXPECT_TRUE(c->info.probes.at(0).tracing_helpers);
  auto bad = check("iter:task_file { printf(\"%s\\n\", path(ctx.file.f_path, $1)); }", btf);
  expect_refusal(*bad, Refusal{"", "path: invalid size value, need non-negative literal", 33});
}

}  // namespace
}  // namespace btc
