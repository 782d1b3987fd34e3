// tseries() maps: merging a bucket's per-CPU copies, the window of intervals each key shows,
// and the text graph and JSON records bpftrace 0.26 prints for them (times in UTC here).
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "map_data.h"
#include "map_json.h"
#include "map_text.h"
#include "map_view.h"
#include "runtime_test_util.h"
#include "tseries.h"

using namespace btc::rt;
using rt_test::Bytes;
using rt_test::field;

namespace {

const uint64_t kMs = 1000000;

// A tseries map whose recorded values are signed (BTC_T_INT) or not (BTC_T_UINT).
struct TseriesMap : rt_test::TestMap {
  TseriesMap(const char *name, uint64_t interval_ns, uint32_t intervals, uint32_t agg = BTC_TSERIES_LAST,
             uint32_t value_type = BTC_T_INT, std::vector<btc_field> key_fields = {})
      : TestMap(name, BTC_MAP_TSERIES, std::move(key_fields), field(value_type, 0, 24)) {
    desc.key_size += 8;
    desc.tseries_interval_ns = interval_ns;
    desc.tseries_num_intervals = intervals;
    desc.tseries_agg = agg;
  }
};

Bytes bucket(int64_t value, uint64_t meta, uint64_t epoch) { return Bytes().i64(value).u64(meta).u64(epoch); }

// One element per (user key, epoch), written on one CPU.
struct Sample {
  Bytes key;
  uint64_t epoch;
  int64_t value;
};

MapData merged(const TseriesMap &m, const std::vector<Sample> &samples) {
  std::vector<RawElement> raw;
  for (const Sample &s : samples) {
    uint64_t b = s.epoch % m.desc.tseries_num_intervals;
    raw.push_back({Bytes().append(s.key).u64(b).data, bucket(s.value, 1, s.epoch).data});
  }
  return merge_elements(m.desc, raw, 1, 24);
}

std::string text(const TseriesMap &m, const std::vector<Sample> &samples) {
  return render_map_text(build_map_view(merged(m, samples), {}));
}

std::string json(const TseriesMap &m, const std::vector<Sample> &samples) {
  return render_map_json(build_map_view(merged(m, samples), {}));
}

// Reduces one bucket written on several CPUs (24-byte copies).
std::pair<uint64_t, uint64_t> reduce(const TseriesMap &m, const std::vector<Bytes> &cpus) {
  Bytes all;
  for (const Bytes &c : cpus) all.append(c);
  return reduce_tseries_bucket(m.desc, all.data.data(), static_cast<unsigned>(cpus.size()), 24);
}

class RuntimeTseries : public ::testing::Test {
 protected:
  void SetUp() override {
    set_tseries_formatting(&btc_tseries_functions);  // what a tool with a tseries map gets
    const char *tz = getenv("TZ");
    saved_tz_ = tz ? tz : "";
    had_tz_ = tz != nullptr;
    setenv("TZ", "UTC", 1);
    tzset();
  }
  void TearDown() override {
    if (had_tz_)
      setenv("TZ", saved_tz_.c_str(), 1);
    else
      unsetenv("TZ");
    tzset();
    set_tseries_formatting(nullptr);
  }

 private:
  std::string saved_tz_;
  bool had_tz_ = false;
};

TEST_F(RuntimeTseries, OnlyTheNewestEpochOfABucketCounts) {
  TseriesMap m("@", kMs, 4, BTC_TSERIES_SUM);
  EXPECT_EQ(reduce(m, {bucket(5, 0, 9), bucket(7, 0, 13), bucket(2, 0, 13)}), std::make_pair(13ul, 9ul));
  EXPECT_EQ(reduce(m, {bucket(0, 0, 0), bucket(0, 0, 0)}), std::make_pair(0ul, 0ul));  // never written
}

TEST_F(RuntimeTseries, CopiesCombineByTheAggregationFunction) {
  TseriesMap avg("@", kMs, 4, BTC_TSERIES_AVG);
  EXPECT_EQ(reduce(avg, {bucket(6, 2, 10), bucket(3, 1, 10)}).second, 3u);       // 9 / 3
  EXPECT_EQ(static_cast<int64_t>(reduce(avg, {bucket(-7, 2, 10)}).second), -3);  // toward zero
  TseriesMap min("@", kMs, 4, BTC_TSERIES_MIN), max("@", kMs, 4, BTC_TSERIES_MAX);
  EXPECT_EQ(static_cast<int64_t>(reduce(min, {bucket(4, 1, 10), bucket(-2, 1, 10)}).second), -2);
  EXPECT_EQ(reduce(max, {bucket(4, 1, 10), bucket(-2, 1, 10)}).second, 4u);
  TseriesMap umax("@", kMs, 4, BTC_TSERIES_MAX, BTC_T_UINT);  // -2 is a huge unsigned value
  EXPECT_EQ(static_cast<int64_t>(reduce(umax, {bucket(4, 1, 10), bucket(-2, 1, 10)}).second), -2);
  TseriesMap last("@", kMs, 4);  // the copy written last (meta = its time) wins
  EXPECT_EQ(reduce(last, {bucket(1, 500, 10), bucket(2, 900, 10), bucket(3, 700, 10)}).second, 2u);
}

TEST_F(RuntimeTseries, GraphShowsEveryIntervalWithZeroLineAndGaps) {
  TseriesMap m("@ts", 100 * kMs, 5);
  Bytes k = Bytes().u64(0);
  std::string expected =
      "@ts:\n"
      "             -2                                                  2\n"
      "hh:mm:ss.ms  |___________________________________________________|\n"
      "00:00:01.000 *                         .                         | -2\n"
      "00:00:01.100 |            *            .                         | -1\n"
      "00:00:01.200 |                         .                         | -\n"
      "00:00:01.300 |                         .            *            | 1\n"
      "00:00:01.400 |                         .                         * 2\n"
      "             v___________________________________________________v\n"
      "             -2                                                  2\n"
      "\n";
  EXPECT_EQ(text(m, {{k, 10, -2}, {k, 11, -1}, {k, 13, 1}, {k, 14, 2}}), expected);
}

TEST_F(RuntimeTseries, FlatSeriesGetsRoomOnBothSides) {
  TseriesMap m("@", 1000000000, 3, BTC_TSERIES_LAST, BTC_T_UINT);
  Bytes k = Bytes().u64(0);
  std::string expected =
      "@:\n"
      "         6                                                   8\n"
      "hh:mm:ss |___________________________________________________|\n"
      "00:01:40 |                         *                         | 7\n"
      "00:01:41 |                         *                         | 7\n"
      "         v___________________________________________________v\n"
      "         6                                                   8\n"
      "\n";
  EXPECT_EQ(text(m, {{k, 100, 7}, {k, 101, 7}}), expected);
}

TEST_F(RuntimeTseries, KeysShareTheNewestIntervalInKeyByteOrder) {
  TseriesMap m("@a", 1000, 3, BTC_TSERIES_LAST, BTC_T_INT, {field(BTC_T_STR, 0, 8)});
  Bytes one = Bytes().str("one", 8), two = Bytes().str("two", 8), old = Bytes().str("old", 8);
  // "two" reaches interval 7: "one" shows its own first interval on, up to 7; "old" has nothing
  // in the window 5..7 and shows the newest interval alone, without bounds.
  std::string expected =
      "@a[old]:\n"
      "                   null                                             null\n"
      "hh:mm:ss.ns        |___________________________________________________|\n"
      "00:00:00.000007000 |                                                   | -\n"
      "                   v___________________________________________________v\n"
      "                   null                                             null\n"
      "\n"
      "@a[one]:\n"
      "                4                                                   6\n"
      "hh:mm:ss.\xce\xbcs    |___________________________________________________|\n"
      "00:00:00.000005 |                         *                         | 5\n"
      "00:00:00.000006 |                                                   | -\n"
      "00:00:00.000007 |                                                   | -\n"
      "                v___________________________________________________v\n"
      "                4                                                   6\n"
      "\n"
      "@a[two]:\n"
      "                5                                                   6\n"
      "hh:mm:ss.\xce\xbcs    |___________________________________________________|\n"
      "00:00:00.000006 *                                                   | 5\n"
      "00:00:00.000007 |                                                   * 6\n"
      "                v___________________________________________________v\n"
      "                5                                                   6\n"
      "\n";
  EXPECT_EQ(text(m, {{two, 6, 5}, {two, 7, 6}, {one, 4, 9}, {one, 5, 5}, {old, 1, 3}}), expected);
}

TEST_F(RuntimeTseries, ZeroedSeriesHasNoData) {
  TseriesMap m("@z", kMs, 2, BTC_TSERIES_LAST, BTC_T_INT, {field(BTC_T_INT, 0, 8)});
  std::vector<RawElement> raw = {{Bytes().i64(1).u64(0).data, bucket(0, 0, 0).data}};
  MapView view = build_map_view(merge_elements(m.desc, raw, 1, 24), {});
  EXPECT_EQ(render_map_text(view), "@z[1]:\n<no data>\n");
  EXPECT_EQ(render_map_json(view), "{\"type\": \"tseries\", \"data\": {\"@z\": {\"1\": []}}}\n");
}

TEST_F(RuntimeTseries, ClearedMapPrintsNothing) {
  TseriesMap m("@c", kMs, 2);
  EXPECT_EQ(text(m, {}), "");
  EXPECT_EQ(json(m, {}), "");
}

TEST_F(RuntimeTseries, JsonListsTheIntervalsWithValuesInUtc) {
  TseriesMap m("@a", 100 * kMs, 4, BTC_TSERIES_LAST, BTC_T_INT, {field(BTC_T_STR, 0, 8)});
  Bytes x = Bytes().str("x", 8), y = Bytes().str("y", 8);
  EXPECT_EQ(json(m, {{y, 17000000000, -4}, {x, 17000000001, 3}, {x, 17000000003, 8}}),
            "{\"type\": \"tseries\", \"data\": {\"@a\": {"
            "\"x\": [{\"interval_start\":\"2023-11-14 22:13:20.100000000\",\"value\":3},"
            "{\"interval_start\":\"2023-11-14 22:13:20.300000000\",\"value\":8}], "
            "\"y\": [{\"interval_start\":\"2023-11-14 22:13:20.000000000\",\"value\":-4}]}}}\n");
  TseriesMap scalar("@s", 1000000000, 2);
  EXPECT_EQ(json(scalar, {{Bytes().u64(0), 5, 1}}),
            "{\"type\": \"tseries\", \"data\": {\"@s\": [{\"interval_start\":\"1970-01-01 00:00:05.000000000\","
            "\"value\":1}]}}\n");
}

}  // namespace
