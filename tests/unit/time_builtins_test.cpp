// time([fmt]), strftime(fmt, ns) and print(value): checker types and refusals, the host tables
// (printf severities, BTC_T_TIMESTAMP fields, the string table) and the runtime's decoding and
// JSON records.
#include <gtest/gtest.h>

#include <ctime>
#include <sstream>

#include "check/checker.h"
#include "emit/host_emitter.h"
#include "field_decode.h"
#include "map_json.h"
#include "parse/parser.h"
#include "check_test_util.h"
#include "runtime_test_util.h"
#include "time_format.h"

namespace btc {
namespace {

using testing::Checked;
using testing::check;

TEST(TimeBuiltins, TimeIsAPrintfEntryOfSeverityTimeWithTheDefaultFormat) {
  auto c = check("BEGIN { time(); time(\"%Y\"); }");
  ASSERT_TRUE(c->ok) << c->first_error();
  ASSERT_EQ(c->info.printfs.size(), 2u);
  EXPECT_EQ(c->info.printfs[0].fmt, "%H:%M:%S\n");
  EXPECT_EQ(c->info.printfs[0].severity, BTC_SEV_TIME);
  EXPECT_TRUE(c->info.printfs[0].args.empty());
  EXPECT_EQ(c->info.printfs[1].fmt, "%Y");
}

TEST(TimeBuiltins, StrftimeIsATimestampCarryingItsFormat) {
  auto c = check("BEGIN { printf(\"%s\\n\", strftime(\"%H:%M\", nsecs)); @t = strftime(\"%S\", 5); }");
  ASSERT_TRUE(c->ok) << c->first_error();
  const Type &t = c->info.printfs[0].args.at(0);
  EXPECT_EQ(t.kind, TypeKind::Timestamp);
  EXPECT_EQ(t.name, "%H:%M");
  EXPECT_EQ(to_string(t), "timestamp");
  EXPECT_EQ(c->info.map("@t").value.kind, TypeKind::Timestamp);
}

TEST(TimeBuiltins, PrintOfAValueIsMarkedForTheJsonValueRecord) {
  auto c = check("BEGIN { print(5); print(strftime(\"%H\", nsecs)); }");
  ASSERT_TRUE(c->ok) << c->first_error();
  ASSERT_EQ(c->info.printfs.size(), 2u);
  EXPECT_EQ(c->info.printfs[0].severity, BTC_SEV_PRINT);
  EXPECT_EQ(c->info.printfs[0].fmt, "%ld\n");
  EXPECT_EQ(c->info.printfs[1].fmt, "%s\n");
}

struct TimeRefusal {
  const char *script;
  const char *message;
  int col;
};

class TimeBuiltinsRefuse : public ::testing::TestWithParam<TimeRefusal> {};

TEST_P(TimeBuiltinsRefuse, WithMessageAndColumn) {
  const TimeRefusal &r = GetParam();
  auto c = check(r.script);
  ASSERT_FALSE(c->ok);
  EXPECT_NE(c->first_error().find(r.message), std::string::npos) << c->first_error();
  EXPECT_EQ(c->first_error_col(), r.col) << c->first_error();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, TimeBuiltinsRefuse,
    ::testing::Values(TimeRefusal{"BEGIN { time(1); }", "time() needs a format string literal", 14},
                      TimeRefusal{"BEGIN { time(\"a\", \"b\"); }", "time() takes 0 to 1 argument", 9},
                      TimeRefusal{"BEGIN { $x = time(); }", "time() does not return a value", 14},
                      TimeRefusal{"BEGIN { $f = \"%H\"; print(strftime($f, 1)); }", "needs a format string literal",
                                  35},
                      TimeRefusal{"BEGIN { print(strftime(\"%H\", \"x\")); }", "needs an integer timestamp", 30},
                      TimeRefusal{"BEGIN { print(strftime(\"%H\", -1)); }", "must be non-negative", 30},
                      TimeRefusal{"BEGIN { print(strftime(\"%H\")); }", "strftime() takes 2 arguments", 15},
                      TimeRefusal{"BEGIN { printf(\"%d\\n\", strftime(\"%H\", 1)); }", "does not fit argument 1", 24}));

TEST(TimeBuiltins, HostTablesCarryTimestampFieldsAndTheStringTable) {
  auto c = check(
      "BEGIN { printf(\"%s %s\\n\", strftime(\"%H\", 1), strftime(\"%M\", 2)); @t = strftime(\"%H\", 3); "
      "time(); }");
  ASSERT_TRUE(c->ok) << c->first_error();
  HostInputs in;
  in.script_name = "t.bt";
  std::string host = emit_host_cpp(c->info, in);
  EXPECT_NE(host.find("{BTC_T_TIMESTAMP, 0, 8, 0}, {BTC_T_TIMESTAMP, 8, 8, 1}"), std::string::npos) << host;
  EXPECT_NE(host.find("nullptr, {BTC_T_TIMESTAMP, 0, 8, 0}, "), std::string::npos) << host;  // @t reuses "%H"
  EXPECT_NE(host.find("const char *const strings[] = {\"%H\", \"%M\"};"), std::string::npos) << host;
  EXPECT_NE(host.find("strings, 2,"), std::string::npos) << host;
  EXPECT_NE(host.find("\"%H:%M:%S\\n\", 0, nullptr, 4,"), std::string::npos) << host;
}

TEST(TimeBuiltins, HostTablesWithoutTimestampsHaveNoStringTable) {
  auto c = check("BEGIN { printf(\"x\\n\"); }");
  ASSERT_TRUE(c->ok) << c->first_error();
  std::string host = emit_host_cpp(c->info, HostInputs{});
  EXPECT_EQ(host.find("strings[]"), std::string::npos);
  EXPECT_NE(host.find("      nullptr, 0,\n      \"..\","), std::string::npos) << host;  // strings, then the trailer
}

}  // namespace
}  // namespace btc

namespace btc::rt {
namespace {

TEST(RuntimeTimestamp, DecodesBootNanosecondsWithItsFormat) {
  static const char *const strings[] = {"%Y-%m-%d", "%H:%M:%S.%f"};
  set_field_strings(strings, 2);
  uint64_t boot_ns = boot_clock_ns();
  rt_test::Bytes b = rt_test::Bytes().u64(boot_ns);
  btc_field f{BTC_T_TIMESTAMP, 0, 8, 1};
  Printable p = decode_field(f, b.data.data());
  EXPECT_EQ(p.kind, Printable::Kind::kString);
  EXPECT_EQ(p.text, format_timestamp("%H:%M:%S.%f", boot_ns_to_realtime_ns(boot_ns)));
  f.pad = 0;
  time_t now = ::time(nullptr);
  struct tm parts;
  localtime_r(&now, &parts);
  char today[32];
  strftime(today, sizeof today, "%Y-%m-%d", &parts);
  EXPECT_EQ(decode_field(f, b.data.data()).text, today);
  set_field_strings(nullptr, 0);
}

TEST(RuntimeTimestamp, JsonTimeAndValueRecords) {
  EXPECT_EQ(json_time_record("12:00:01\n"), "{\"type\": \"time\", \"data\": \"12:00:01\\n\"}\n");
  EXPECT_EQ(json_value_record(Printable::string("12:00")), "{\"type\": \"value\", \"data\": \"12:00\"}\n");
}

}  // namespace
}  // namespace btc::rt
