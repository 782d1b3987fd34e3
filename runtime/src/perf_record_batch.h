// Perf-buffer mode (event_transport.h): each CPU has its own buffer, so records read CPU by CPU
// come out of time order. A batch collects what one read of all the buffers returns and hands it
// back ordered by the time each record was written, as the single BPF ring buffer would: exit()
// and END then still follow every record written before them.
#ifndef BTC_RT_PERF_RECORD_BATCH_H
#define BTC_RT_PERF_RECORD_BATCH_H

#include <cstddef>
#include <cstdint>
#include <vector>

struct perf_event_header;

namespace btc::rt {

class PerfRecordBatch {
 public:
  // Keeps a copy of a sample record (PERF_SAMPLE_TIME | PERF_SAMPLE_RAW, event_transport.h);
  // other records (PERF_RECORD_LOST: BPF counts its lost events itself) are ignored.
  void add(const perf_event_header *header);

  size_t size() const { return records_.size(); }

  // Calls handle(data, size) for every record kept, oldest first, and empties the batch.
  template <typename Handle>
  void drain(Handle &&handle) {
    sort_by_time();
    for (const Record &r : records_) handle(bytes_.data() + r.offset, r.size);
    records_.clear();
    bytes_.clear();
  }

 private:
  struct Record {
    uint64_t time;
    size_t offset;  // in bytes_
    uint32_t size;
  };
  void sort_by_time();

  std::vector<Record> records_;
  std::vector<uint8_t> bytes_;
};

}  // namespace btc::rt

#endif
