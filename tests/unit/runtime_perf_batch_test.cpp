// PerfRecordBatch: perf-buffer records of several CPUs come back in the order they were written.
#include <gtest/gtest.h>
#include <linux/perf_event.h>

#include <cstring>
#include <string>
#include <vector>

#include "perf_record_batch.h"

using btc::rt::PerfRecordBatch;

// A PERF_RECORD_SAMPLE (PERF_SAMPLE_TIME | PERF_SAMPLE_RAW) carrying `text`, padded to 8 bytes.
static std::vector<uint8_t> sample(uint64_t time, const std::string &text) {
  uint32_t raw_size = static_cast<uint32_t>((text.size() + 4 + 7) / 8 * 8 - 4);
  std::vector<uint8_t> record(sizeof(perf_event_header) + 8 + 4 + raw_size, 0xee);
  perf_event_header header = {PERF_RECORD_SAMPLE, 0, static_cast<uint16_t>(record.size())};
  memcpy(record.data(), &header, sizeof(header));
  memcpy(record.data() + 8, &time, 8);
  memcpy(record.data() + 16, &raw_size, 4);
  memcpy(record.data() + 20, text.data(), text.size());
  return record;
}

static void add(PerfRecordBatch &batch, const std::vector<uint8_t> &record) {
  batch.add(reinterpret_cast<const perf_event_header *>(record.data()));
}

static std::vector<std::string> drain(PerfRecordBatch &batch, size_t text_size) {
  std::vector<std::string> out;
  batch.drain([&](const uint8_t *data, uint32_t size) {
    EXPECT_GE(size, text_size);
    EXPECT_EQ((size + 4) % 8, 0u);
    out.emplace_back(reinterpret_cast<const char *>(data), text_size);
  });
  return out;
}

TEST(PerfRecordBatch, MergesCpusByTime) {
  PerfRecordBatch batch;
  add(batch, sample(10, "cpu0-a"));  // CPU 0's buffer is read first
  add(batch, sample(40, "cpu0-b"));
  add(batch, sample(20, "cpu1-a"));
  add(batch, sample(30, "cpu1-b"));
  add(batch, sample(40, "cpu1-c"));  // same time: keeps the order it was read in
  EXPECT_EQ(batch.size(), 5u);
  EXPECT_EQ(drain(batch, 6), (std::vector<std::string>{"cpu0-a", "cpu1-a", "cpu1-b", "cpu0-b", "cpu1-c"}));
  EXPECT_EQ(batch.size(), 0u);
  EXPECT_TRUE(drain(batch, 6).empty());
}

TEST(PerfRecordBatch, IgnoresOtherRecords) {
  PerfRecordBatch batch;
  struct {
    perf_event_header header;
    uint64_t id, lost;
  } lost = {{PERF_RECORD_LOST, 0, sizeof(lost)}, 1, 5};
  batch.add(&lost.header);
  perf_event_header truncated = {PERF_RECORD_SAMPLE, 0, sizeof(truncated)};
  batch.add(&truncated);
  add(batch, sample(1, "kept"));
  EXPECT_EQ(drain(batch, 4), (std::vector<std::string>{"kept"}));
}

TEST(PerfRecordBatch, ClampsRawSizeToTheRecord) {
  std::vector<uint8_t> record = sample(1, "abcd");
  uint32_t too_big = 4096;
  memcpy(record.data() + 16, &too_big, 4);
  PerfRecordBatch batch;
  add(batch, record);
  size_t seen = 0;
  batch.drain([&](const uint8_t *, uint32_t size) { seen = size; });
  EXPECT_EQ(seen, record.size() - 20);
}
