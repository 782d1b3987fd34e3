// dw_ustack in the checker: ustack's arguments and type, bpftrace's unstable-feature handling
// (config unstable_dw_ustack: warn once by default, enable, error), the unwind tables it asks
// for and the run-time warning of a process without them.
#include <gtest/gtest.h>

#include "btc/abi.h"
#include "check_test_util.h"

namespace btc {
namespace {

const char *const kWarning =
    "Script is using an unstable feature: dw_ustack (DWARF stack unwinding). To prevent this warning you must "
    "explicitly enable it in the config e.g. unstable_dw_ustack=enable";

std::vector<std::string> warnings(const testing::Checked &c) {
  std::vector<std::string> out;
  for (const Diagnostic &d : c.diags->all())
    if (d.severity == Severity::Warning) out.push_back(d.message);
  return out;
}

TEST(CheckDwUstack, WarnsOnceByDefault) {
  auto c = testing::check("BEGIN { @[dw_ustack] = count(); print(dw_ustack(perf, 3)); }");
  ASSERT_TRUE(c->ok) << c->errors();
  EXPECT_EQ(warnings(*c), std::vector<std::string>{kWarning});
  EXPECT_TRUE(c->info.uses_dw_stacks);
  EXPECT_TRUE(c->info.uses_stacks);
}

TEST(CheckDwUstack, EnableSilences) {
  auto c = testing::check("config = { unstable_dw_ustack = enable }\nBEGIN { print(dw_ustack()); }");
  ASSERT_TRUE(c->ok) << c->errors();
  EXPECT_TRUE(warnings(*c).empty());
}

TEST(CheckDwUstack, ErrorRefuses) {
  auto c = testing::check("config = { unstable_dw_ustack = error }\nBEGIN { print(dw_ustack); }");
  EXPECT_FALSE(c->ok);
  EXPECT_NE(c->errors().find("dw_ustack (DWARF stack unwinding) feature is not enabled by default. To enable this "
                             "unstable feature, set the config flag to enable. unstable_dw_ustack=enable"),
            std::string::npos)
      << c->errors();
}

TEST(CheckDwUstack, TypeIsUstacksWithModeAndLimit) {
  auto c = testing::check(
      "config = { unstable_dw_ustack = enable }\nBEGIN { @a = ustack(perf, 4); @a = dw_ustack(perf, 4); }");
  ASSERT_TRUE(c->ok) << c->errors();
  auto bad = testing::check("config = { unstable_dw_ustack = enable }\nBEGIN { print(dw_ustack(0)); }");
  EXPECT_FALSE(bad->ok);
  auto build_id = testing::check("config = { unstable_dw_ustack = enable }\nBEGIN { print(dw_ustack(build_id)); }");
  EXPECT_FALSE(build_id->ok);
}

// Each dw_ustack has a printf-table entry: the run-time warning of a process without tables.
TEST(CheckDwUstack, RunTimeWarningEntry) {
  auto c = testing::check("config = { unstable_dw_ustack = enable }\nBEGIN { print(dw_ustack); }");
  ASSERT_TRUE(c->ok) << c->errors();
  bool found = false;
  for (const auto &p : c->info.printfs)
    found |= p.severity == BTC_SEV_WARNF && p.runtime_check &&
             p.fmt.starts_with("No DWARF unwind data available for this process.");
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace btc
