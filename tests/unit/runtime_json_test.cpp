// JSON output (-f json): the NDJSON records bpftrace 0.26 writes for maps,
// histograms, stats, printf, values, attached probes and lost events. The
// expectations follow bpftrace's JSON emitter and its tests/runtime/outputs.
#include <gtest/gtest.h>

#include <cstring>
#include <map>

#include "map_data.h"
#include "map_json.h"
#include "map_view.h"
#include "runtime_test_util.h"

using namespace btc::rt;
using rt_test::Bytes;
using rt_test::field;
using rt_test::linear_bucket;
using rt_test::log2_bucket;

namespace {

using Map = rt_test::TestMap;

std::string json(const Map &m, const std::vector<std::pair<Bytes, Bytes>> &elements, size_t stride = 8,
                 ViewOptions options = {}) {
  std::vector<RawElement> raw;
  for (const auto &[key, value] : elements) raw.push_back({key.data, value.data});
  return render_map_json(build_map_view(merge_elements(m.desc, raw, 1, stride), options));
}

// hist/lhist samples: one count per (user key, bucket of value).
std::string hist_json(const Map &m, const std::vector<std::pair<Bytes, int64_t>> &samples) {
  std::map<std::vector<uint8_t>, uint64_t> counts;
  for (const auto &[user_key, value] : samples) {
    uint64_t bucket = m.desc.kind == BTC_MAP_HIST
                          ? log2_bucket(value, m.desc.hist_bits)
                          : linear_bucket(value, m.desc.lhist_min, m.desc.lhist_max, m.desc.lhist_step);
    std::vector<uint8_t> key = Bytes().append(user_key).u64(bucket).data;
    counts[key]++;
  }
  std::vector<std::pair<Bytes, Bytes>> elements;
  for (const auto &[key, count] : counts) elements.push_back({Bytes{key}, Bytes().u64(count)});
  return json(m, elements);
}

const btc_field kU64 = field(BTC_T_UINT, 0, 8);
const btc_field kS64 = field(BTC_T_INT, 0, 8);
Bytes key0() { return Bytes().u64(0); }

TEST(RuntimeJson, Strings) {
  EXPECT_EQ(json_string("test \r \n \t \\ \" bar"), "\"test \\r \\n \\t \\\\ \\\" bar\"");
  EXPECT_EQ(json_string(std::string("a\x01z", 3)), "\"a\\u0001z\"");
  EXPECT_EQ(json_string("h\xc3\xa9"), "\"h\xc3\xa9\"");  // UTF-8 passes through
}

TEST(RuntimeJson, IntegersADoubleCannotHoldBecomeStrings) {
  EXPECT_EQ(json_int(5), "5");
  EXPECT_EQ(json_int(-5), "-5");
  EXPECT_EQ(json_int(INT64_MIN), "-9223372036854775808");  // -2^63 is exact
  EXPECT_EQ(json_int(9007199254740992), "9007199254740992");
  EXPECT_EQ(json_int(9007199254740993), "\"9007199254740993\"");
  EXPECT_EQ(json_int(INT64_MAX), "\"9223372036854775807\"");
  EXPECT_EQ(json_uint(UINT64_MAX), "\"18446744073709551615\"");
  EXPECT_EQ(json_uint(1ULL << 63), "9223372036854775808");
}

TEST(RuntimeJson, Values) {
  EXPECT_EQ(json_value(Printable::tuple({Printable::int64(1), Printable::int64(2), Printable::string("string"),
                                         Printable::tuple({Printable::int64(4), Printable::int64(5)})})),
            "[1,2,\"string\",[4,5]]");
  EXPECT_EQ(json_value(Printable::tuple({Printable::boolean(true), Printable::boolean(false)})), "[true,false]");
  EXPECT_EQ(json_value(Printable::record({"x", "y"}, {Printable::int64(1), Printable::string("s")})),
            "{\"x\": 1, \"y\": \"s\"}");
  EXPECT_EQ(json_value(Printable::buffer(std::string("hi\xff", 3))), "[104,105,-1]");
  EXPECT_EQ(json_value(Printable::symbol("do_sys_openat2", 0xffffffff81234567ULL)), "\"18446744071581156711\"");
  EXPECT_EQ(json_value(Printable::symbol("4K", 4096)), "4096");
  EXPECT_EQ(json_value(Printable::none()), "null");
}

TEST(RuntimeJson, KeysLoseTupleParenthesesAndEverySpace) {
  EXPECT_EQ(json_key(Printable::tuple({Printable::string("bpftrace"), Printable::int64(2)})), "\"bpftrace,2\"");
  EXPECT_EQ(json_key(Printable::string("a b")), "\"ab\"");
  EXPECT_EQ(json_key(Printable::symbol("vfs_read", 0xffffffff81000000ULL)), "\"vfs_read\"");
}

TEST(RuntimeJson, ScalarMaps) {
  Map count("@scalar", BTC_MAP_COUNT, {}, kU64);
  EXPECT_EQ(json(count, {{key0(), Bytes().u64(5)}}), "{\"type\": \"map\", \"data\": {\"@scalar\": 5}}\n");
  Map str("@scalar_str", BTC_MAP_PLAIN, {}, field(BTC_T_STR, 0, 16));
  EXPECT_EQ(json(str, {{key0(), Bytes().str("a b \n d e", 16)}}, 16),
            "{\"type\": \"map\", \"data\": {\"@scalar_str\": \"a b \\n d e\"}}\n");
  Map neg("@n", BTC_MAP_SUM, {}, kS64);
  EXPECT_EQ(json(neg, {{key0(), Bytes().i64(-3)}}), "{\"type\": \"map\", \"data\": {\"@n\": -3}}\n");
}

TEST(RuntimeJson, KeyedMapsInPrintOrder) {
  Map m("@map", BTC_MAP_PLAIN, {field(BTC_T_STR, 0, 8)}, kS64);
  EXPECT_EQ(json(m, {{Bytes().str("key2", 8), Bytes().i64(3)}, {Bytes().str("key1", 8), Bytes().i64(2)}}),
            "{\"type\": \"map\", \"data\": {\"@map\": {\"key1\": 2, \"key2\": 3}}}\n");
  Map complex("@complex", BTC_MAP_PLAIN, {field(BTC_T_STR, 0, 16), field(BTC_T_INT, 16, 8)}, kS64);
  EXPECT_EQ(json(complex, {{Bytes().str("bpftrace", 16).i64(2), Bytes().i64(5)}}),
            "{\"type\": \"map\", \"data\": {\"@complex\": {\"bpftrace,2\": 5}}}\n");
}

TEST(RuntimeJson, EmptyMapsPrintNothingExceptStats) {
  EXPECT_EQ(json(Map("@c", BTC_MAP_COUNT, {}, kU64), {}), "");
  EXPECT_EQ(json(Map("@k", BTC_MAP_COUNT, {field(BTC_T_INT, 0, 8)}, kU64), {}), "");
  EXPECT_EQ(json(Map("@h", BTC_MAP_HIST, {}, kU64), {}), "");
  // bpftrace wraps avg()/stats() maps before it checks for emptiness.
  EXPECT_EQ(json(Map("@a", BTC_MAP_AVG, {}, field(BTC_T_INT, 0, 16)), {}, 16),
            "{\"type\": \"stats\", \"data\": {\"@a\": {}}}\n");
}

TEST(RuntimeJson, StatsAndAvg) {
  Map stats("@stats", BTC_MAP_STATS, {}, field(BTC_T_INT, 0, 16));
  EXPECT_EQ(json(stats, {{key0(), Bytes().i64(12).u64(2)}}, 16),
            "{\"type\": \"stats\", \"data\": {\"@stats\": {\"count\": 2, \"average\": 6, \"total\": 12}}}\n");

  Map keyed("@stats", BTC_MAP_STATS, {field(BTC_T_STR, 0, 8)}, field(BTC_T_INT, 0, 16));
  EXPECT_EQ(
      json(keyed, {{Bytes().str("zsh", 8), Bytes().i64(10).u64(1)}, {Bytes().str("curl", 8), Bytes().i64(2).u64(1)}},
           16),
      "{\"type\": \"stats\", \"data\": {\"@stats\": {\"curl\": {\"count\": 1, \"average\": 2, \"total\": 2}, "
      "\"zsh\": {\"count\": 1, \"average\": 10, \"total\": 10}}}}\n");

  // print(@, 2, 10) of four averages: the two largest, divided by 10.
  Map avg("@", BTC_MAP_AVG, {field(BTC_T_STR, 0, 8)}, field(BTC_T_INT, 0, 16));
  ViewOptions print;
  print.top = 2;
  print.div = 10;
  std::vector<std::pair<Bytes, Bytes>> elements;
  for (auto [k, v] : std::vector<std::pair<const char *, int64_t>>{{"a", 10}, {"b", 20}, {"c", 30}, {"d", 40}})
    elements.push_back({Bytes().str(k, 8), Bytes().i64(v).u64(1)});
  EXPECT_EQ(json(avg, elements, 16, print), "{\"type\": \"stats\", \"data\": {\"@\": {\"c\": 3, \"d\": 4}}}\n");
}

TEST(RuntimeJson, Histogram) {
  Map h("@hist", BTC_MAP_HIST, {}, kU64);
  EXPECT_EQ(hist_json(h, {{key0(), 2}, {key0(), 1025}}),
            "{\"type\": \"hist\", \"data\": {\"@hist\": [{\"min\": 2, \"max\": 3, \"count\": 1},"
            "{\"min\": 4, \"max\": 7, \"count\": 0},{\"min\": 8, \"max\": 15, \"count\": 0},"
            "{\"min\": 16, \"max\": 31, \"count\": 0},{\"min\": 32, \"max\": 63, \"count\": 0},"
            "{\"min\": 64, \"max\": 127, \"count\": 0},{\"min\": 128, \"max\": 255, \"count\": 0},"
            "{\"min\": 256, \"max\": 511, \"count\": 0},{\"min\": 512, \"max\": 1023, \"count\": 0},"
            "{\"min\": 1024, \"max\": 2047, \"count\": 1}]}}\n");
}

TEST(RuntimeJson, KeyedHistogramsWithNegativeValues) {
  Map h("@", BTC_MAP_HIST, {field(BTC_T_STR, 0, 16)}, kU64);
  Bytes curl = Bytes().str("curl", 16), bpftrace = Bytes().str("bpftrace", 16);
  std::string out = hist_json(h, {{bpftrace, 2}, {curl, -1}, {curl, 0}, {curl, 511}, {curl, 1024}, {curl, 1025}});
  EXPECT_EQ(out.rfind("{\"type\": \"hist\", \"data\": {\"@\": {\"bpftrace\": [{\"min\": 2, \"max\": 3, \"count\": 1}], "
                      "\"curl\": [{\"max\": -1, \"count\": 1},{\"min\": 0, \"max\": 0, \"count\": 1},",
                      0),
            0u)
      << out;
  EXPECT_NE(out.find("{\"min\": 1, \"max\": 1, \"count\": 0},{\"min\": 2, \"max\": 3, \"count\": 0}"),
            std::string::npos);
  EXPECT_NE(out.find("{\"min\": 1024, \"max\": 2047, \"count\": 2}]}}}\n"), std::string::npos) << out;
}

TEST(RuntimeJson, FineGrainedHistogram) {
  Map h("@", BTC_MAP_HIST, {}, kU64);
  h.desc.hist_bits = 3;
  std::vector<std::pair<Bytes, int64_t>> samples;
  for (int64_t i = 0; i < 1024; i++) samples.push_back({key0(), i});
  std::string out = hist_json(h, samples);
  EXPECT_EQ(out.rfind("{\"type\": \"hist\", \"data\": {\"@\": [{\"min\": 0, \"max\": 0, \"count\": 1},", 0), 0u);
  EXPECT_NE(out.find("{\"min\": 15, \"max\": 15, \"count\": 1},{\"min\": 16, \"max\": 17, \"count\": 2}"),
            std::string::npos);
  EXPECT_NE(out.find("{\"min\": 960, \"max\": 1023, \"count\": 64}]}}\n"), std::string::npos) << out;
}

TEST(RuntimeJson, ZeroedHistogramIsAnEmptyList) {
  Map h("@hist", BTC_MAP_HIST, {}, kU64);
  EXPECT_EQ(json(h, {{Bytes().u64(0).u64(3), Bytes().u64(0)}}), "{\"type\": \"hist\", \"data\": {\"@hist\": []}}\n");
}

TEST(RuntimeJson, LinearHistogram) {
  Map h("@h", BTC_MAP_LHIST, {}, kU64);
  h.desc.lhist_min = 0;
  h.desc.lhist_max = 100;
  h.desc.lhist_step = 10;
  std::string out = hist_json(h, {{key0(), 2}, {key0(), 50}, {key0(), 1000}});
  EXPECT_EQ(out,
            "{\"type\": \"hist\", \"data\": {\"@h\": [{\"min\": 0, \"max\": 9, \"count\": 1},"
            "{\"min\": 10, \"max\": 19, \"count\": 0},{\"min\": 20, \"max\": 29, \"count\": 0},"
            "{\"min\": 30, \"max\": 39, \"count\": 0},{\"min\": 40, \"max\": 49, \"count\": 0},"
            "{\"min\": 50, \"max\": 59, \"count\": 1},{\"min\": 60, \"max\": 69, \"count\": 0},"
            "{\"min\": 70, \"max\": 79, \"count\": 0},{\"min\": 80, \"max\": 89, \"count\": 0},"
            "{\"min\": 90, \"max\": 99, \"count\": 0},{\"min\": 100, \"count\": 1}]}}\n");
}

TEST(RuntimeJson, Records) {
  EXPECT_EQ(json_printf_record("test 5"), "{\"type\": \"printf\", \"data\": \"test 5\"}\n");
  EXPECT_EQ(json_printf_record("a\n"), "{\"type\": \"printf\", \"data\": \"a\\n\"}\n");
  EXPECT_EQ(json_value_record(Printable::int64(5)), "{\"type\": \"value\", \"data\": 5}\n");
  EXPECT_EQ(json_attached_probes_record(1),
            "{\"type\": \"attached_probes\", \"count\": 1, \"data\": {\"probes\": 1}}\n");
  EXPECT_EQ(json_lost_events_record(42), "{\"type\": \"lost_events\", \"count\": 42, \"data\": {\"events\": 42}}\n");
  EXPECT_EQ(json_diagnostic_record(false, "careful", "dir/a.bt:3:5"),
            "{\"type\": \"warnf\", \"msg\": \"careful\", \"filename\": \"dir/a.bt\", \"line\": 3, \"col\": 5}\n");
  EXPECT_EQ(json_diagnostic_record(true, "bad", ""),
            "{\"type\": \"errorf\", \"msg\": \"bad\", \"filename\": \"\", \"line\": 0, \"col\": 0}\n");
  EXPECT_EQ(json_map_full_record("@m"),
            "{\"type\": \"helper_error\", \"msg\": \"Argument list too long\", \"helper\": \"map_update_elem\", "
            "\"retcode\": -7, \"map\": \"@m\"}\n");
}

}  // namespace
