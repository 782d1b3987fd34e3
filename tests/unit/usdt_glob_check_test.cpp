// usdt probes without a binary and with wildcards (usdt:*:prov*:name*, usdt:::name, usdt:name):
// the matches are the -p process's notes, found when the tool starts (runtime/src/usdt_process.h);
// the checker makes one program whose target is "*" and whose func holds the two globs.
#include <gtest/gtest.h>

#include "check_test_util.h"

namespace btc {
namespace {

struct Form {
  const char *attach_point, *func;
};

TEST(UsdtGlobCheck, FormsWithoutABinaryAreMatchedAtRunTime) {
  const Form forms[] = {
      {"usdt:*:tracetest:test*", "tracetest:test*"},    // a glob name
      {"usdt:*:trace*:testprobe", "trace*:testprobe"},  // a glob provider
      {"usdt:::*probe2", "*:*probe2"},                  // no provider: any
      {"usdt::testprobe", "*:testprobe"},               // binary and name only
      {"usdt:*:*", "*:*"},
      {"usdt:*", "*:*"},  // the name alone, as bpftrace takes it with -p
  };
  for (const Form &f : forms) {
    auto c = testing::check(std::string(f.attach_point) + " { printf(\"%s %d\\n\", probe, arg0); }");
    ASSERT_TRUE(c->ok) << f.attach_point << ": " << c->errors();
    ASSERT_EQ(c->info.probes.size(), 1u) << f.attach_point;
    const ProbeTarget &t = c->info.probes[0];
    EXPECT_TRUE(t.runtime_matches) << f.attach_point;
    EXPECT_EQ(t.target, "*") << f.attach_point;
    EXPECT_EQ(t.func, f.func) << f.attach_point;
    EXPECT_EQ(t.spec, f.attach_point);
  }
}

// Fully named probes keep the build-time form: the -p process's executable, no name table.
TEST(UsdtGlobCheck, NamedProbeWithoutABinaryIsNotAGlob) {
  auto c = testing::check("usdt::tracetest:testprobe { }");
  ASSERT_TRUE(c->ok) << c->errors();
  ASSERT_EQ(c->info.probes.size(), 1u);
  EXPECT_FALSE(c->info.probes[0].runtime_matches);
  EXPECT_EQ(c->info.probes[0].target, "");
  EXPECT_EQ(c->info.probes[0].func, "tracetest:testprobe");
}

TEST(UsdtGlobCheck, TooManyPartsAreRefused) {
  auto c = testing::check("usdt:*:a:b:c { }");
  EXPECT_FALSE(c->ok);
  EXPECT_NE(c->errors().find("usdt must be written"), std::string::npos) << c->errors();
}

}  // namespace
}  // namespace btc
