// bpftrace's compile-time introspection and assertions (is_str() and the other type predicates,
// comptime / if comptime, static_assert, fail, assert_str, typeof, default_str_length, config as
// a record) and the run-time answers of has_cpid, kfunc_exist and kfunc_allowed.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "check_test_util.h"
#include "emit/bpf_emitter.h"
#include "emit/host_emitter.h"
#include "kfunc_facts.h"

namespace btc {
namespace {

using testing::check;
using testing::expect_refusal;
using testing::Refusal;

bool has(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

// The checked value of statement `i` of the first probe (an assignment's right-hand side).
const ast::Expr &value_of(const testing::Checked &c, size_t i) { return *c.prog.probes[0].body.at(i)->expr; }

TEST(TypePredicates, FoldToBoolLiteralsFromTheArgumentsType) {
  auto c = check(
      "begin { $s = \"a\"; $p = (int8 *)0; $u = (uint16)1;"
      " $a = is_str($s); $b = is_ptr($p); $c = is_integer($u); $d = is_unsigned_integer($u);"
      " $e = is_unsigned_integer(1); $f = is_literal(-1); $g = is_literal($u); $h = is_array($s);"
      " $i = is_str(1); $j = is_integer(true); $k = is_literal((1, \"x\")); }",
      testing::host_btf());
  ASSERT_TRUE(c->ok) << c->errors();
  const bool expected[] = {true, true, true, true, false, true, false, false, false, false, true};
  for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
    const ast::Expr &v = value_of(*c, 3 + i);
    ASSERT_EQ(v.kind, ast::ExprKind::Bool) << "statement " << 3 + i;
    EXPECT_EQ(v.ival, expected[i]) << "statement " << 3 + i;
  }
  EXPECT_EQ(check("begin { $a = is_str(); }")->first_error(), "is_str() takes 1 argument, got 0");
}

TEST(Comptime, IfComptimeKeepsOnlyTheBranchTaken) {
  auto c = check(
      "begin { $x = 1; if comptime (is_str($x)) { fail(\"not taken\"); $x = \"s\"; } else { $y = 2; }"
      " if comptime !is_integer($x) { fail(\"neither\"); } }");
  ASSERT_TRUE(c->ok) << c->errors();
  const auto &taken = *c->prog.probes[0].body[1];
  EXPECT_EQ(taken.kind, ast::StmtKind::Block);
  ASSERT_EQ(taken.body.size(), 1u);
  EXPECT_EQ(taken.body[0]->lhs->name, "$y");
  EXPECT_TRUE(c->prog.probes[0].body[2]->body.empty());
  // As a value: the taken branch's value.
  auto v = check("begin { $v = if comptime (sizeof(uint16) == 2) { 7 } else { \"no\" }; print($v); }");
  ASSERT_TRUE(v->ok) << v->errors();
  ASSERT_EQ(value_of(*v, 0).kind, ast::ExprKind::Block);
  EXPECT_EQ(value_of(*v, 0).args[0]->kind, ast::ExprKind::Int);
}

TEST(Comptime, UnresolvableConditionsAreRefused) {
  expect_refusal(*check("begin { $x = 0; comptime ($x + 1); }"),
                 Refusal{"", "Unable to resolve comptime expression", 17});
  expect_refusal(*check("begin { @a = 1; if comptime (@a > 1) { print(1); } }"),
                 Refusal{"", "Unable to resolve comptime expression", 20});
  auto folded = check("begin { $n = comptime (1 + 2 * 3); }");
  ASSERT_TRUE(folded->ok) << folded->errors();
  EXPECT_EQ(value_of(*folded, 0).ival, 7);
}

TEST(Fail, AReachedFailIsAnErrorWithItsFormattedMessage) {
  expect_refusal(*check("begin { fail(\"always fail\"); }"), Refusal{"", "always fail", 9});
  auto c = check("begin { fail(\"always fail %s %d %d %d %%\", \"now\", 1, -1, false); }");
  EXPECT_EQ(c->first_error(), "always fail now 1 -1 0 %");
  EXPECT_EQ(c->diags->all()[0].range.end.col, 63) << "the call, without the ';'";
  // A run-time `if` does not prune: bpftrace reports it too.
  expect_refusal(*check("begin { if (false) { fail(\"always false\"); } }"), Refusal{"", "always false", 22});
  EXPECT_EQ(check("begin { $x = 1; fail(\"x %d\", $x); }")->first_error(), "fail() arguments need to be literals");
  EXPECT_EQ(check("begin { fail(1); }")->first_error(), "first argument to fail() must be a string literal");
}

TEST(StaticAssert, FalseConditionsFailWithTheMessageAtTheCall) {
  auto ok = check("begin { static_assert(sizeof(uint32) == 4, \"size\"); static_assert(is_str(\"a\"), \"str\"); }");
  ASSERT_TRUE(ok->ok) << ok->errors();
  expect_refusal(*check("begin { $x = 1; static_assert(is_str($x), \"need a string\"); }"),
                 Refusal{"", "need a string", 17});
  expect_refusal(*check("begin { $x = 1; static_assert($x == 1, \"m\"); }"),
                 Refusal{"", "Unable to resolve comptime expression", 31});
}

TEST(AssertStr, AcceptsStringLikeValuesOnly) {
  auto ok = check("begin { assert_str(\"a\"); assert_str((int8 *)0); assert_str(comm); }", testing::host_btf());
  ASSERT_TRUE(ok->ok) << ok->errors();
  EXPECT_EQ(check("begin { assert_str((uint32 *)0); }", testing::host_btf())->first_error(),
            "string-like pointers must point to a char-like type");
  EXPECT_EQ(check("begin { assert_str(1); }")->first_error(),
            "string-like values must be either strings, arrays or pointers");
}

TEST(Typeof, CastsDeclarationsAndSizeofTakeTheTypeOfAnExpression) {
  auto c = check(
      "begin { $x = (uint8)1; $y = (typeof($x))10; let $z: typeof($x); $z = (uint8)2;"
      " $n = sizeof(typeof($x)); $p = (typeof(uint16 *))0; printf(\"%d %d %d\\n\", $y, $z, $n); }",
      testing::host_btf());
  ASSERT_TRUE(c->ok) << c->errors();
  const Type &y = value_of(*c, 1).type;
  EXPECT_EQ(y.kind, TypeKind::Int);
  EXPECT_EQ(y.size, 1u);
  EXPECT_FALSE(y.is_signed);
  EXPECT_EQ(value_of(*c, 4).ival, 1) << "sizeof(typeof($x))";
  EXPECT_TRUE(has(check("begin { $a = 1; $b = typeof($a) == typeof($a); }")->first_error(),
                  "typeof can only be used as a type"));
}

TEST(DefaultStrLength, IsTheConfiguredMaxStrlen) {
  auto c = check("config = { max_strlen = 32 } begin { $a = default_str_length; $b = default_str_length(); }");
  ASSERT_TRUE(c->ok) << c->errors();
  EXPECT_EQ(value_of(*c, 0).ival, 32);
  EXPECT_EQ(value_of(*c, 1).ival, 32);
}

TEST(ConfigRecord, TheWholeRecordHoldsEverySettingInBpftracesOrder) {
  auto c = check("config = { max_strlen = 48 } begin { $c = config; $d = config(); }");
  ASSERT_TRUE(c->ok) << c->errors();
  const ast::Expr &r = value_of(*c, 0);
  ASSERT_EQ(r.kind, ast::ExprKind::Record);
  ASSERT_EQ(r.fields.size(), 21u);
  EXPECT_EQ(r.fields.front(), "cpp_demangle");
  EXPECT_EQ(r.fields[10], "max_strlen");
  EXPECT_EQ(r.args[10]->ival, 48);
  EXPECT_EQ(r.fields.back(), "license");
  EXPECT_EQ(r.args.back()->sval, "GPL");
  EXPECT_EQ(value_of(*c, 1).kind, ast::ExprKind::Record);
}

TEST(HasCpid, IsARunTimeBoolFromTheToolsParameters) {
  auto c = check("begin { $a = has_cpid; $b = has_cpid(); print($a && $b); }");
  ASSERT_TRUE(c->ok) << c->errors();
  EXPECT_EQ(value_of(*c, 0).type.kind, TypeKind::Bool);
  EXPECT_TRUE(has(emit_bpf_c(c->prog, c->info, nullptr, "t.bt", "t.bpf.c"), "(btc_params.cpid != 0)"));
}

// Reading cpid (not has_cpid) makes the tool warn at start when it runs without -c.
TEST(HasCpid, OnlyReadingCpidAsksForTheStartWarning) {
  auto c = check("begin { print(has_cpid); }");
  ASSERT_TRUE(c->ok) << c->errors();
  EXPECT_FALSE(c->info.reads_cpid);
  c = check("begin { if (has_cpid) { print(cpid); } }");
  ASSERT_TRUE(c->ok) << c->errors();
  EXPECT_TRUE(c->info.reads_cpid);
}

TEST(KfuncQueries, AreAnsweredOnTheTargetFromSlotsOfTheParameters) {
  auto c = check(
      "tracepoint:syscalls:sys_enter_getpid { $a = kfunc_exist(\"bpf_task_from_pid\");"
      " $b = kfunc_allowed(\"bpf_task_from_pid\"); $c = kfunc_exist(\"bpf_task_from_pid\"); print(($a, $b, $c)); }",
      testing::host_btf());
  ASSERT_TRUE(c->ok) << c->errors();
  ASSERT_EQ(c->info.kfunc_queries.size(), 2u);
  EXPECT_EQ(c->info.kfunc_queries[0], (std::pair<std::string, uint32_t>{"bpf_task_from_pid", 0}));
  EXPECT_EQ(c->info.kfunc_queries[1].second, 5u) << "BPF_PROG_TYPE_TRACEPOINT";
  EXPECT_EQ(value_of(*c, 2).ival, 0) << "the same question shares its slot";
  std::string bpf = emit_bpf_c(c->prog, c->info, nullptr, "t.bt", "t.bpf.c");
  EXPECT_TRUE(has(bpf, "(btc_params.kfunc_answer[1] != 0)"));
  EXPECT_TRUE(has(emit_host_cpp(c->info, HostInputs{}), "{\"bpf_task_from_pid\", 5}"));
  EXPECT_EQ(check("begin { $n = \"x\"; $a = kfunc_exist($n); }")->first_error(),
            "kfunc_exist() accepts a string literal only");
  EXPECT_EQ(check("begin { $a = kfunc_allowed(1); }")->first_error(), "kfunc_allowed() accepts a string literal only");
}

// The runtime's code for kfunc_exist()/kfunc_allowed() and cgroupid() is named in the tool's
// table only when the script uses them, so that other tools do not link it.
TEST(KfuncQueries, OnlyToolsThatAskLinkTheAnsweringCode) {
  auto asks = check("begin { $a = kfunc_exist(\"bpf_task_from_pid\"); print($a); }", testing::host_btf());
  ASSERT_TRUE(asks->ok) << asks->errors();
  EXPECT_TRUE(has(emit_host_cpp(asks->info, HostInputs{}), "btc_answer_kfunc_queries,"));
  auto cgroup = check("begin { print(cgroupid(\"/sys/fs/cgroup\")); }");
  ASSERT_TRUE(cgroup->ok) << cgroup->errors();
  std::string host = emit_host_cpp(cgroup->info, HostInputs{});
  EXPECT_TRUE(has(host, "btc_cgroup_id_of,"));
  EXPECT_FALSE(has(host, "btc_answer_kfunc_queries"));
  auto neither = check("begin { exit(); }");
  ASSERT_TRUE(neither->ok) << neither->errors();
  host = emit_host_cpp(neither->info, HostInputs{});
  EXPECT_FALSE(has(host, "btc_answer_kfunc_queries"));
  EXPECT_FALSE(has(host, "btc_cgroup_id_of"));
}

TEST(KfuncQueries, TheRuntimeReadsThisKernelsBtf) {
  struct stat st;
  if (stat("/sys/kernel/btf/vmlinux", &st) != 0) GTEST_SKIP() << "no kernel BTF";
  const btc_kfunc_query queries[] = {{"bpf_task_from_pid", 0}, {"btc_no_such_kfunc", 0}, {"btc_no_such_kfunc", 5}};
  btc_tool tool{};
  tool.kfunc_queries = queries;
  tool.nkfunc_queries = 3;
  btc_params params{};
  rt::answer_kfunc_queries(tool, params);
  EXPECT_EQ(params.kfunc_answer[0], 1u);
  EXPECT_EQ(params.kfunc_answer[1], 0u);
  EXPECT_EQ(params.kfunc_answer[2], 0u);
}

}  // namespace
}  // namespace btc
