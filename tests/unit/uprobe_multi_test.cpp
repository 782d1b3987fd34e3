// The matches of a uprobe glob share one program (check/uprobe_multi.h) on the -O0 fixture program
// (tests/unit/fixtures/dwarf_fixture.c, functions fixture_*).
#include <gtest/gtest.h>

#include "check_test_util.h"

namespace btc {
namespace {

const std::string kBin = BTC_DWARF_FIXTURE;

TEST(UprobeMulti, GlobMatchesShareOneProgram) {
  auto c = testing::check("uprobe:" + kBin + ":fixture_s* { printf(\"%s %s\\n\", probe, func); }");
  ASSERT_TRUE(c->ok) << c->errors();
  ASSERT_EQ(c->info.probes.size(), 1u);
  const ProbeTarget &t = c->info.probes[0];
  EXPECT_EQ(t.spec, "uprobe:" + kBin + ":fixture_s*");
  EXPECT_EQ(t.func, "");
  ASSERT_EQ(t.multi.size(), 3u);  // fixture_scalars, fixture_seven, fixture_shape, by name
  EXPECT_EQ(t.multi[0].func, "fixture_scalars");
  EXPECT_EQ(t.multi[0].spec, "uprobe:" + kBin + ":fixture_scalars");
  EXPECT_EQ(t.multi[2].func, "fixture_shape");
  EXPECT_EQ(t.prog_name, "probe_0");
}

TEST(UprobeMulti, EachGlobHasItsOwnProgram) {
  auto c = testing::check("uprobe:" + kBin + ":fixture_s*, uretprobe:" + kBin + ":fixture_s* { } BEGIN { }");
  ASSERT_TRUE(c->ok) << c->errors();
  ASSERT_EQ(c->info.probes.size(), 3u);
  EXPECT_EQ(c->info.probes[0].multi.size(), 3u);
  EXPECT_EQ(c->info.probes[1].kind, ProbeKind::Uretprobe);
  EXPECT_EQ(c->info.probes[1].multi.size(), 3u);
  EXPECT_TRUE(c->info.probes[2].multi.empty());
  EXPECT_EQ(c->info.probes[2].prog_name, "probe_2");
}

TEST(UprobeMulti, NamedFunctionsAndArgsKeepOneProgramEach) {
  auto named = testing::check("uprobe:" + kBin + ":fixture_shape { }");
  ASSERT_TRUE(named->ok) << named->errors();
  ASSERT_EQ(named->info.probes.size(), 1u);
  EXPECT_TRUE(named->info.probes[0].multi.empty());
  // `args` is typed per function from DWARF: the matches cannot share a program.
  auto typed = testing::check("uprobe:" + kBin + ":fixture_sca* { print(args.n); }");
  ASSERT_TRUE(typed->ok) << typed->errors();
  ASSERT_EQ(typed->info.probes.size(), 1u);
  EXPECT_TRUE(typed->info.probes[0].multi.empty());
  EXPECT_EQ(typed->info.probes[0].func, "fixture_scalars");
}

// uprobe:*:glob: the binaries are the -p process's files, known only at run time; one program
// whose `probe` and `func` come from the runtime's names table (abi.h, BTC_UPROBE_NAMES_MAP).
TEST(UprobeMulti, AnyBinaryGlobIsMatchedAtRunTime) {
  auto c = testing::check("uretprobe:*:fixture_s* { printf(\"%s %s\\n\", probe, func); }");
  ASSERT_TRUE(c->ok) << c->errors();
  ASSERT_EQ(c->info.probes.size(), 1u);
  const ProbeTarget &t = c->info.probes[0];
  EXPECT_TRUE(t.runtime_matches);
  EXPECT_EQ(t.spec, "uretprobe:*:fixture_s*");
  EXPECT_EQ(t.target, "*");
  EXPECT_EQ(t.glob, "fixture_s*");
  EXPECT_TRUE(t.multi.empty());
}

TEST(UprobeMulti, AnyBinaryGlobTakesNoOffset) {
  auto c = testing::check("uprobe:*:fixture_s*+4 { }");
  EXPECT_FALSE(c->ok);
  EXPECT_NE(c->errors().find("cannot take an offset"), std::string::npos) << c->errors();
}

}  // namespace
}  // namespace btc
