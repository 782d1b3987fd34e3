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

// Fully named probes without a binary too: bpftrace looks for them in every file the -p process
// maps (not only its executable) and names each match by its file.
TEST(UsdtGlobCheck, NamedProbeWithoutABinaryIsMatchedAtRunTime) {
  for (const char *ap : {"usdt::tracetest:testprobe", "usdt:*:tracetest:testprobe"}) {
    auto c = testing::check(std::string(ap) + " { }");
    ASSERT_TRUE(c->ok) << c->errors();
    ASSERT_EQ(c->info.probes.size(), 1u);
    EXPECT_TRUE(c->info.probes[0].runtime_matches) << ap;
    EXPECT_EQ(c->info.probes[0].target, "*");
    EXPECT_EQ(c->info.probes[0].func, "tracetest:testprobe");
    EXPECT_EQ(c->info.probes[0].spec, ap);
  }
}

TEST(UsdtGlobCheck, TooManyPartsAreRefused) {
  auto c = testing::check("usdt:*:a:b:c { }");
  EXPECT_FALSE(c->ok);
  EXPECT_NE(c->errors().find("usdt must be written"), std::string::npos) << c->errors();
}

}  // namespace
}  // namespace btc
