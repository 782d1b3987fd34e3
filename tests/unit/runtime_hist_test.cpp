// hist() and lhist() rendering: bucket labels, K/M/G suffixes, single-value
// buckets, under/overflow rows, 52-column bars and the empty line after each
// histogram, as bpftrace 0.26 prints them.
#include <gtest/gtest.h>

#include <map>

#include "histogram.h"
#include "map_data.h"
#include "map_text.h"
#include "map_view.h"
#include "runtime_test_util.h"

using namespace btc::rt;
using rt_test::Bytes;
using rt_test::field;
using rt_test::linear_bucket;
using rt_test::log2_bucket;

namespace {

// A hist/lhist map with u64 counts.
struct HistMap : rt_test::TestMap {
  HistMap(const char *name, uint32_t kind, std::vector<btc_field> key_fields = {})
      : TestMap(name, kind, std::move(key_fields), field(BTC_T_UINT, 0, 8)) {}
};

// Counts `values` into buckets with `bucket_of` and renders the map. Each
// value lands in the element of (user key, bucket) with count 1 per sample.
std::string render(const HistMap &m, const std::vector<std::pair<Bytes, int64_t>> &samples,
                   uint64_t (*bucket_of)(const HistMap &, int64_t), ViewOptions options = {}) {
  std::map<std::vector<uint8_t>, uint64_t> counts;
  for (const auto &[user_key, value] : samples) {
    std::vector<uint8_t> key = user_key.data;
    uint64_t bucket = bucket_of(m, value);
    key.resize(key.size() + 8);
    memcpy(key.data() + key.size() - 8, &bucket, 8);
    counts[key]++;
  }
  std::vector<RawElement> raw;
  for (const auto &[key, count] : counts) raw.push_back({key, Bytes().u64(count).data});
  return render_map_text(build_map_view(merge_elements(m.desc, raw, 1, 8), options));
}

uint64_t hist_bucket(const HistMap &m, int64_t v) { return log2_bucket(v, m.desc.hist_bits); }
uint64_t lhist_bucket(const HistMap &m, int64_t v) {
  return linear_bucket(v, m.desc.lhist_min, m.desc.lhist_max, m.desc.lhist_step);
}

std::vector<std::pair<Bytes, int64_t>> scalar(std::vector<int64_t> values) {
  std::vector<std::pair<Bytes, int64_t>> samples;
  for (int64_t v : values) samples.push_back({Bytes().u64(0), v});
  return samples;
}

TEST(RuntimeHist, BucketIndexHelperMatchesBpftraceLayout) {
  EXPECT_EQ(log2_bucket(-1, 0), 0u);
  EXPECT_EQ(log2_bucket(0, 0), 1u);
  EXPECT_EQ(log2_bucket(1, 0), 2u);
  EXPECT_EQ(log2_bucket(2, 0), 3u);
  EXPECT_EQ(log2_bucket(3, 0), 3u);
  EXPECT_EQ(log2_bucket(7, 0), 4u);
  EXPECT_EQ(log2_bucket(225, 2), 28u);
  EXPECT_EQ(linear_bucket(11, 0, 10, 2), 6u);
}

TEST(RuntimeHist, NegativeZeroAndGaps) {
  HistMap m("@", BTC_MAP_HIST);
  EXPECT_EQ(render(m, scalar({-1, 2, 3, 7, 20}), hist_bucket),
            "@:\n"
            "(..., 0)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
            "[0]                    0 |                                                    |\n"
            "[1]                    0 |                                                    |\n"
            "[2, 4)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "[4, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
            "[8, 16)                0 |                                                    |\n"
            "[16, 32)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
            "\n");
}

TEST(RuntimeHist, StartsAtFirstNonEmptyBucket) {
  HistMap m("@", BTC_MAP_HIST);
  EXPECT_EQ(render(m, scalar({3, 20}), hist_bucket),
            "@:\n"
            "[2, 4)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "[4, 8)                 0 |                                                    |\n"
            "[8, 16)                0 |                                                    |\n"
            "[16, 32)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "\n");
}

TEST(RuntimeHist, ZeroAndNegativeOnly) {
  HistMap m("@z", BTC_MAP_HIST);
  EXPECT_EQ(render(m, scalar({0}), hist_bucket),
            "@z:\n"
            "[0]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "\n");
  EXPECT_EQ(render(m, scalar({-5, -1, -100, -3}), hist_bucket),
            "@z:\n"
            "(..., 0)               4 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "\n");
  EXPECT_EQ(render(m, scalar({1, 1}), hist_bucket),
            "@z:\n"
            "[1]                    2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "\n");
}

TEST(RuntimeHist, LargeValuesUseSuffixes) {
  HistMap m("@", BTC_MAP_HIST);
  EXPECT_EQ(render(m, scalar({10LL * 1024 * 1024 * 1024}), hist_bucket),
            "@:\n"
            "[8G, 16G)              1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "\n");
  EXPECT_EQ(render(m, scalar({1500, 1500, 1500, 3 * 1024 * 1024}), hist_bucket),
            "@:\n"
            "[1K, 2K)               3 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "[2K, 4K)               0 |                                                    |\n"
            "[4K, 8K)               0 |                                                    |\n"
            "[8K, 16K)              0 |                                                    |\n"
            "[16K, 32K)             0 |                                                    |\n"
            "[32K, 64K)             0 |                                                    |\n"
            "[64K, 128K)            0 |                                                    |\n"
            "[128K, 256K)           0 |                                                    |\n"
            "[256K, 512K)           0 |                                                    |\n"
            "[512K, 1M)             0 |                                                    |\n"
            "[1M, 2M)               0 |                                                    |\n"
            "[2M, 4M)               1 |@@@@@@@@@@@@@@@@@                                   |\n"
            "\n");
}

TEST(RuntimeHist, BarsScaleInSinglePrecision) {
  HistMap m("@", BTC_MAP_HIST);
  std::vector<int64_t> values(15, 5);
  values.insert(values.end(), 52, 9);
  // 15/52*52 is 14.999... in double precision but 15 in float.
  EXPECT_EQ(render(m, scalar(values), hist_bucket),
            "@:\n"
            "[4, 8)                15 |@@@@@@@@@@@@@@@                                     |\n"
            "[8, 16)               52 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "\n");
}

TEST(RuntimeHist, FinerBucketsWithBits) {
  HistMap m("@", BTC_MAP_HIST);
  m.desc.hist_bits = 2;
  EXPECT_EQ(render(m, scalar({5, 9}), hist_bucket),
            "@:\n"
            "[5]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "[6]                    0 |                                                    |\n"
            "[7]                    0 |                                                    |\n"
            "[8, 10)                1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "\n");
}

TEST(RuntimeHist, DivDividesCounts) {
  HistMap m("@", BTC_MAP_HIST);
  ViewOptions div;
  div.div = 2;
  EXPECT_EQ(render(m, scalar({5, 5, 9, 9}), hist_bucket, div),
            "@:\n"
            "[4, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "[8, 16)                1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "\n");
}

TEST(RuntimeHist, KeyedSortedByTotalCount) {
  HistMap m("@h", BTC_MAP_HIST, {field(BTC_T_STR, 0, 8)});
  std::vector<std::pair<Bytes, int64_t>> samples = {
      {Bytes().str("sshd", 8), 0}, {Bytes().str("sshd", 8), 0}, {Bytes().str("bash", 8), 1}};
  EXPECT_EQ(render(m, samples, hist_bucket),
            "@h[bash]:\n"
            "[1]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "\n"
            "@h[sshd]:\n"
            "[0]                    2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "\n");
}

TEST(RuntimeHist, ZeroedHistogramPrintsHeaderOnly) {
  HistMap m("@h", BTC_MAP_HIST, {field(BTC_T_INT, 0, 8)});
  std::vector<RawElement> raw = {{Bytes().i64(1).u64(2).data, Bytes().u64(0).data}};
  EXPECT_EQ(render_map_text(build_map_view(merge_elements(m.desc, raw, 1, 8), {})), "@h[1]:\n\n");
}

TEST(RuntimeHist, EmptyScalarHistogramPrintsNothing) {
  HistMap m("@h", BTC_MAP_HIST);
  ViewOptions print;
  print.zero_if_empty = true;
  EXPECT_EQ(render(m, {}, hist_bucket, print), "");
}

HistMap lhist(int64_t min, int64_t max, int64_t step) {
  HistMap m("@", BTC_MAP_LHIST);
  m.desc.lhist_min = min;
  m.desc.lhist_max = max;
  m.desc.lhist_step = step;
  return m;
}

TEST(RuntimeLhist, UnderflowAndOverflowRows) {
  HistMap m = lhist(0, 10, 2);
  EXPECT_EQ(render(m, scalar({2, 3, 7, -1, 11}), lhist_bucket),
            "@:\n"
            "(..., 0)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
            "[0, 2)                 0 |                                                    |\n"
            "[2, 4)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "[4, 6)                 0 |                                                    |\n"
            "[6, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
            "[8, 10)                0 |                                                    |\n"
            "[10, ...)              1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
            "\n");
}

TEST(RuntimeLhist, OnlyUnderflowOrOnlyOverflow) {
  EXPECT_EQ(render(lhist(10, 110, 10), scalar({5}), lhist_bucket),
            "@:\n"
            "(..., 10)              1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "\n");
  EXPECT_EQ(render(lhist(0, 100, 10), scalar({150}), lhist_bucket),
            "@:\n"
            "[100, ...)             1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "\n");
}

TEST(RuntimeLhist, StepOneShowsSingleValues) {
  EXPECT_EQ(render(lhist(0, 10, 1), scalar({5, 6, 6}), lhist_bucket),
            "@:\n"
            "[5]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
            "[6]                    2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "\n");
}

TEST(RuntimeLhist, KiloStepsGetSuffixes) {
  EXPECT_EQ(render(lhist(0, 4096, 1024), scalar({1500}), lhist_bucket),
            "@:\n"
            "[1K, 2K)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "\n");
  HistView v = build_linear_hist({0, 1, 1}, 0, 10 * 1024 * 1024, 1024 * 1024);
  ASSERT_TRUE(v.lower_bound.has_value());
  EXPECT_EQ(to_text(*v.lower_bound), "0");
  EXPECT_EQ(to_text(v.labels.at(0)), "1M");
  EXPECT_EQ(to_text(v.labels.at(1)), "2M");
}

TEST(RuntimeLhist, OtherStepsKeepPlainNumbers) {
  HistView v = build_linear_hist({0, 0, 1}, 610000, 670000, 10000);
  EXPECT_EQ(to_text(*v.lower_bound), "620000");
  EXPECT_EQ(to_text(v.labels.at(0)), "630000");
}

TEST(RuntimeLhist, NegativeRange) {
  EXPECT_EQ(render(lhist(-100, 100, 50), scalar({-60, -51}), lhist_bucket),
            "@:\n"
            "[-100, -50)            2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "\n");
}

TEST(RuntimeLhist, DivDoesNotApply) {
  ViewOptions div;
  div.div = 10;
  EXPECT_EQ(render(lhist(0, 10, 1), scalar({1}), lhist_bucket, div),
            "@:\n"
            "[1]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "\n");
}

}  // namespace
