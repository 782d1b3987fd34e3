// Helpers shared by the runtime unit tests: building raw keys/values and
// computing hist()/lhist() bucket indexes the way the generated BPF does.
#ifndef BTC_TESTS_RUNTIME_TEST_UTIL_H
#define BTC_TESTS_RUNTIME_TEST_UTIL_H

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "btc/abi.h"

namespace rt_test {

// Little byte-buffer builder: Bytes().i64(1).str("bash", 16).data
struct Bytes {
  std::vector<uint8_t> data;

  template <typename T>
  Bytes &put(T v) {
    size_t at = data.size();
    data.resize(at + sizeof(T));
    memcpy(data.data() + at, &v, sizeof(T));
    return *this;
  }
  Bytes &i64(int64_t v) { return put(v); }
  Bytes &u64(uint64_t v) { return put(v); }
  Bytes &i32(int32_t v) { return put(v); }
  Bytes &u32(uint32_t v) { return put(v); }
  Bytes &i16(int16_t v) { return put(v); }
  Bytes &i8(int8_t v) { return put(v); }
  Bytes &u8(uint8_t v) { return put(v); }
  Bytes &append(const Bytes &other) {
    data.insert(data.end(), other.data.begin(), other.data.end());
    return *this;
  }
  Bytes &str(const std::string &s, size_t size) {
    size_t at = data.size();
    data.resize(at + size, 0);
    memcpy(data.data() + at, s.data(), s.size() < size ? s.size() : size);
    return *this;
  }
};

inline btc_field field(uint32_t type, uint32_t offset, uint32_t size) { return btc_field{type, offset, size, 0}; }

// hist(v, k): 0 for v < 0, v + 1 below 2^k, then 2^k buckets per power of 2.
inline uint64_t log2_bucket(int64_t v, uint32_t k) {
  if (v < 0) return 0;
  uint64_t n = static_cast<uint64_t>(v);
  uint64_t mask = (1ULL << k) - 1;
  if (n <= mask) return n + 1;
  uint64_t top = 63 - __builtin_clzll(n);  // position of the leftmost 1
  uint64_t l = top - k;
  uint64_t x = (n >> l) & mask;
  return ((l + 1) << k) + x + 1;
}

// lhist(v, min, max, step): 0 below min, 1 + (max - min) / step from max up.
inline uint64_t linear_bucket(int64_t v, int64_t min, int64_t max, int64_t step) {
  if (v < min) return 0;
  if (v > max) return 1 + (max - min) / step;
  return 1 + (v - min) / step;
}

// A map description for tests; the key fields live in the object so desc.keys stays valid.
// key_size is the user key (8 for a scalar map) plus the bucket index of hist/lhist maps.
struct TestMap {
  btc_map_desc desc = {};
  std::vector<btc_field> keys;

  TestMap(const char *name, uint32_t kind, std::vector<btc_field> key_fields, btc_field value = {})
      : keys(std::move(key_fields)) {
    desc.name = name;
    desc.bpf_name = "m";
    desc.kind = kind;
    desc.nkeys = static_cast<uint32_t>(keys.size());
    desc.keys = keys.data();
    desc.value = value;
    uint32_t size = 0;
    for (const btc_field &f : keys) size = std::max(size, f.offset + f.size);
    desc.key_size = (keys.empty() ? 8 : size) + (kind == BTC_MAP_HIST || kind == BTC_MAP_LHIST ? 8 : 0);
  }
  // Copies repoint desc.keys at their own key fields.
  TestMap(const TestMap &o) : desc(o.desc), keys(o.keys) { desc.keys = keys.data(); }
  TestMap &operator=(const TestMap &) = delete;
};

}  // namespace rt_test

#endif
