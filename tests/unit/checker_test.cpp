// Type checker: types of expressions, map and printf collection, and refusals with their ranges.
#include <gtest/gtest.h>

#include <sstream>

#include "check_test_util.h"

namespace btc {
namespace {

using testing::Checked;

std::unique_ptr<Checked> check(const std::string &text) { return testing::check(text, testing::host_btf()); }

TEST(Checker, MapsAreSortedByNameWithTheirKinds) {
  auto c = check("BEGIN { @z = count(); @a[1, \"x\"] = sum(5); @m = hist(3, 2); @l = lhist(1, 0, 10, 2); }");
  ASSERT_TRUE(c->ok) << c->errors();
  ASSERT_EQ(c->info.maps.size(), 4u);
  EXPECT_EQ(c->info.maps[0].name, "@a");
  EXPECT_EQ(c->info.maps[0].value.kind, TypeKind::Sum);
  ASSERT_EQ(c->info.maps[0].keys.size(), 2u);
  EXPECT_TRUE(c->info.maps[0].keys[0].is_int());
  EXPECT_TRUE(c->info.maps[0].keys[1].is_string());
  EXPECT_EQ(c->info.maps[1].name, "@l");
  EXPECT_EQ(c->info.maps[1].value.lhist_max, 10);
  EXPECT_EQ(c->info.maps[1].value.lhist_step, 2);
  EXPECT_EQ(c->info.maps[2].name, "@m");
  EXPECT_EQ(c->info.maps[2].value.hist_bits, 2);
  EXPECT_EQ(c->info.maps[3].name, "@z");
  EXPECT_EQ(c->info.maps[3].value.kind, TypeKind::Count);
}

TEST(Checker, MapTypeComesFromAnAssignmentInALaterProbe) {
  auto c = check("interval:s:1 { if (@n > 3) { exit(); } } BEGIN { @n = count(); }");
  ASSERT_TRUE(c->ok) << c->errors();
  EXPECT_EQ(c->info.map("@n").value.kind, TypeKind::Count);
}

TEST(Checker, PrintfArgumentTypes) {
  auto c = check("tracepoint:syscalls:sys_enter_openat { printf(\"%d %s %s\\n\", pid, comm, str(args.filename)); }");
  ASSERT_TRUE(c->ok) << c->errors();
  ASSERT_EQ(c->info.printfs.size(), 1u);
  const auto &args = c->info.printfs[0].args;
  ASSERT_EQ(args.size(), 3u);
  EXPECT_EQ(to_string(args[0]), "uint32");
  EXPECT_EQ(to_string(args[1]), "string[16]");
  EXPECT_EQ(args[2].kind, TypeKind::String);
  EXPECT_EQ(c->info.probes[0].spec, "tracepoint:syscalls:sys_enter_openat");
}

TEST(Checker, ClassicAndNewSyntaxGiveTheSameProbe) {
  auto a = check("BEGIN { exit(); } tracepoint:syscalls:sys_enter_openat { @[args->flags] = count(); }");
  auto b = check("begin { exit(); } t:syscalls:sys_enter_openat { @[args.flags] = count(); }");
  ASSERT_TRUE(a->ok) << a->errors();
  ASSERT_TRUE(b->ok) << b->errors();
  ASSERT_EQ(a->info.probes.size(), b->info.probes.size());
  for (size_t i = 0; i < a->info.probes.size(); i++) EXPECT_EQ(a->info.probes[i].spec, b->info.probes[i].spec);
  EXPECT_EQ(to_string(a->info.maps[0].keys[0]), to_string(b->info.maps[0].keys[0]));
}

TEST(Checker, IntervalAndUprobeSpecs) {
  auto c = check("interval:ms:100 { } i:1s { } uprobe:/bin/sh:main { } ur:/bin/sh:main { }");
  ASSERT_TRUE(c->ok) << c->errors();
  ASSERT_EQ(c->info.probes.size(), 4u);
  EXPECT_EQ(c->info.probes[0].period, 100000000u);
  EXPECT_EQ(c->info.probes[1].period, 1000000000u);
  EXPECT_EQ(c->info.probes[2].kind, ProbeKind::Uprobe);
  EXPECT_EQ(c->info.probes[2].target, "/bin/sh");
  EXPECT_EQ(c->info.probes[3].kind, ProbeKind::Uretprobe);
}

TEST(Checker, WatchpointSpecs) {
  auto c = check("watchpoint:0x10000000:8:wr { } w:4096:1:x { }");
  ASSERT_TRUE(c->ok) << c->errors();
  ASSERT_EQ(c->info.probes.size(), 2u);
  EXPECT_EQ(c->info.probes[0].kind, ProbeKind::Watchpoint);
  EXPECT_EQ(c->info.probes[0].offset, 0x10000000u);
  EXPECT_EQ(c->info.probes[0].period, 8u);
  EXPECT_EQ(c->info.probes[0].func, "rw");  // modes are sorted
  EXPECT_EQ(c->info.probes[0].spec, "watchpoint:268435456:8:rw");
  EXPECT_EQ(c->info.probes[1].spec, "watchpoint:4096:1:x");
}

// A kprobe gets an fentry twin unless it is tied to pt_regs (offset, reg(), override) or reads
// an argument the function does not have; a kretprobe gets an fexit twin unless it reads argN.
TEST(Checker, KprobeFentryTwins) {
  auto c = check(
      "kprobe:do_sys_openat2 { @a = arg1; } kprobe:do_sys_openat2 { @b = reg(\"si\"); }"
      " kprobe:do_sys_openat2 { @c = arg5; } kretprobe:do_sys_openat2 { @d = retval; }"
      " kprobe:do_sys_openat2+4 { }");
  ASSERT_TRUE(c->ok) << c->errors();
  ASSERT_EQ(c->info.probes.size(), 5u);
  EXPECT_EQ(c->info.probes[0].twin_nargs, 3);  // dfd, filename, how
  EXPECT_TRUE(c->info.probes[0].fentry_twin());
  EXPECT_FALSE(c->info.probes[1].fentry_twin());
  EXPECT_FALSE(c->info.probes[2].fentry_twin());
  EXPECT_TRUE(c->info.probes[3].fentry_twin());
  EXPECT_FALSE(c->info.probes[4].fentry_twin());
}

using testing::Refusal;

class CheckerRefuses : public ::testing::TestWithParam<Refusal> {};

TEST_P(CheckerRefuses, WithMessageAndColumn) { testing::expect_refusal(*check(GetParam().script), GetParam()); }

INSTANTIATE_TEST_SUITE_P(
    Cases, CheckerRefuses,
    ::testing::Values(
        Refusal{"BEGIN { printf(\"%d\\n\", \"x\"); }", "format %d does not fit argument 1 of type string[2]", 24},
        Refusal{"BEGIN { printf(\"%d %d\\n\", 1); }", "2 conversions but 1 argument", 16},
        Refusal{"BEGIN { @x = count(); @x = 1; }", "trying to assign int64 to a map of type count_t", 23},
        Refusal{"BEGIN { @x[1] = 1; @x[\"a\"] = 2; }",
                "Argument mismatch for @x: trying to access with arguments: 'string[2]' when map expects arguments: "
                "'int8'",
                23},
        Refusal{"tracepoint:syscalls:sys_enter_opnat { }", "Did you mean syscalls:sys_enter_openat?", 1},
        Refusal{"tracepoint:syscalls:sys_enter_openat { $f = args.filenam; }", "did you mean args.filename?", 45},
        Refusal{"kprobe:do_sys_opnat2 { }", "No matches for kprobe do_sys_opnat2. Did you mean do_sys_openat2?", 1},
        Refusal{"BEGIN { pidd }", "did you mean pid?", 9},
        Refusal{"BEGIN { $x = $y + 1; }", "undefined variable $y", 14},
        Refusal{"BEGIN { count(); }", "must be assigned to a map", 9},
        Refusal{"BEGIN { $x = 1; $x = \"s\"; }", "type mismatch for $x", 17},
        Refusal{"BEGIN { @x = lhist(1, 0, 10, 0); }", "lhist() step must be >= 1", 30},
        Refusal{"BEGIN { print(@nope); }", "undefined map @nope", 15},
        Refusal{"BEGIN { break; }", "break outside of a loop", 9},
        Refusal{"BEGIN { printf(\"%s\\n\", retval); }", "retval can only be used in kretprobe and uretprobe", 24},
        Refusal{"fooprobe:x { }", "unknown probe type 'fooprobe'", 1},
        Refusal{"kprobe:* { }", "at most 1024 probes can be expanded", 1},
        Refusal{"watchpoint:0:8:w { }", "watchpoint must be attached to a non-zero address", 1},
        Refusal{"watchpoint:0x1000:3:w { }", "watchpoint length must be one of (1,2,4,8)", 1},
        Refusal{"w:0x1000:8:wq { }", "watchpoint mode must be combination of (r,w,x)", 1},
        Refusal{"w:0x1000:8:ww { }", "watchpoint modes may not be duplicated", 1},
        Refusal{"w:0x1000:8:rx { }", "invalid watchpoint mode: rx", 1}));

}  // namespace
}  // namespace btc

namespace btc {
namespace {

std::unique_ptr<testing::Checked> check_plain(const std::string &text) { return testing::check(text); }

TEST(CheckerBool, ComparisonsTernariesAndMapsKeepBool) {
  auto c = check_plain("BEGIN { $a = 1 > 2; $b = $a ? true : false; @m[true] = $b; print($b); print(1 < 2); }");
  ASSERT_TRUE(c->ok) << c->errors();
  const auto &vars = c->info.var_types.begin()->second;
  EXPECT_EQ(vars.at("$a").kind, TypeKind::Bool);
  EXPECT_EQ(vars.at("$b").kind, TypeKind::Bool);
  ASSERT_EQ(c->info.maps.size(), 1u);
  EXPECT_EQ(c->info.maps[0].keys[0].kind, TypeKind::Bool);
  EXPECT_EQ(c->info.maps[0].value.kind, TypeKind::Bool);
  ASSERT_EQ(c->info.printfs.size(), 2u);
  EXPECT_EQ(c->info.printfs[0].fmt, "%s\n");  // printed as true/false
  EXPECT_EQ(c->info.printfs[0].args[0].kind, TypeKind::Bool);
}

TEST(CheckerBool, PrintOfATupleKeepsItsBoolElement) {
  auto c = check_plain("BEGIN { print((true, \"me\", 1)); }");
  ASSERT_TRUE(c->ok) << c->errors();
  ASSERT_EQ(c->info.printfs.size(), 1u);
  ASSERT_EQ(c->info.printfs[0].args.size(), 1u);  // one tuple slot, printed "(true, me, 1)"
  const Type &t = c->info.printfs[0].args[0];
  ASSERT_EQ(t.kind, TypeKind::Tuple);
  EXPECT_EQ(t.inner[0].kind, TypeKind::Bool);
  EXPECT_TRUE(t.inner[1].is_string());
}

TEST(CheckerBlocks, ABlockHasTheTypeOfItsValue) {
  auto c = check_plain(
      "BEGIN { $s = { let $t = \"ab\"; $t }; $n = if $s == \"ab\" { 1 } else { 2 }; @a = { $k = 3; avg($k) }; }");
  ASSERT_TRUE(c->ok) << c->errors();
  const auto &vars = c->info.var_types.begin()->second;
  EXPECT_TRUE(vars.at("$s").is_string());
  EXPECT_TRUE(vars.at("$n").is_int());
  ASSERT_EQ(c->info.maps.size(), 1u);
  EXPECT_EQ(c->info.maps[0].value.kind, TypeKind::Avg);
}

TEST(CheckerBlocks, ABlockWithoutValueIsOnlyAStatement) {
  EXPECT_TRUE(check_plain("BEGIN { { printf(\"x\"); }; if 1 { exit(); } }")->ok);
  auto c = check_plain("BEGIN { $x = { printf(\"x\"); }; }");
  EXPECT_FALSE(c->ok);
  EXPECT_EQ(c->first_error(), "this block has no value (its last statement ends with ';')");
}

TEST(CheckerRecords, FieldsAreTypedAndMatchedByName) {
  auto c = check_plain(
      "BEGIN { $r = (a=1, b=\"x\", c=true); $r = (c=false, b=\"y\", a=2); printf(\"%d %s\\n\", $r.a, $r.b); print($r); "
      "}");
  ASSERT_TRUE(c->ok) << c->errors();
  const Type &r = c->info.var_types.begin()->second.at("$r");
  ASSERT_EQ(r.kind, TypeKind::Tuple);
  EXPECT_EQ(r.fields, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(r.inner[2].kind, TypeKind::Bool);
  EXPECT_EQ(to_string(r), "(a=int8, b=string[2], c=bool)");
  ASSERT_EQ(c->info.printfs.size(), 2u);
  EXPECT_EQ(c->info.printfs[1].fmt, "{ .a = %s, .b = %s, .c = %s }\n");
  EXPECT_EQ(c->info.printfs[1].arg_names, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(CheckerRecords, Refusals) {
  EXPECT_EQ(check_plain("BEGIN { $r = (a=1, a=2); }")->first_error(), "duplicate field 'a' in record");
  EXPECT_EQ(check_plain("BEGIN { $r = (a=1, b=2); print($r.size); }")->first_error(),
            "(a=int8, b=int8) has no field 'size'");
  EXPECT_EQ(check_plain("BEGIN { $r = (a=1, b=2); $r = (a=1, c=2); }")->first_error(),
            "type mismatch for $r: trying to assign (a=int8, c=int8) to a variable of type (a=int8, b=int8)");
  EXPECT_EQ(check_plain("BEGIN { $r = (a=1, b=2); $r = (1, 2); }")->first_error(),
            "type mismatch for $r: trying to assign (int8, int8) to a variable of type (a=int8, b=int8)");
}

}  // namespace
}  // namespace btc
