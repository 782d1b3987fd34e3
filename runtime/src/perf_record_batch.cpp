#include "perf_record_batch.h"

#include <linux/perf_event.h>

#include <algorithm>
#include <cstring>

namespace btc::rt {

// A PERF_RECORD_SAMPLE with sample_type PERF_SAMPLE_TIME | PERF_SAMPLE_RAW: the header, the u64
// time, then the raw data's u32 size and bytes (padded so that the record stays 8-byte aligned).
static const size_t kTimeOffset = sizeof(perf_event_header);
static const size_t kSizeOffset = kTimeOffset + sizeof(uint64_t);
static const size_t kDataOffset = kSizeOffset + sizeof(uint32_t);

void PerfRecordBatch::add(const perf_event_header *header) {
  if (header->type != PERF_RECORD_SAMPLE || header->size < kDataOffset) return;
  const uint8_t *record = reinterpret_cast<const uint8_t *>(header);
  uint64_t time;
  uint32_t size;
  memcpy(&time, record + kTimeOffset, sizeof(time));
  memcpy(&size, record + kSizeOffset, sizeof(size));
  size = std::min<uint32_t>(size, header->size - kDataOffset);
  records_.push_back({time, bytes_.size(), size});
  bytes_.insert(bytes_.end(), record + kDataOffset, record + kDataOffset + size);
}

// Stable: records of one CPU keep their order even with equal times.
void PerfRecordBatch::sort_by_time() {
  std::stable_sort(records_.begin(), records_.end(), [](const Record &a, const Record &b) { return a.time < b.time; });
}

}  // namespace btc::rt
